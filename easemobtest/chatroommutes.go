package easemobtest

func roomListMuted(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	type mute struct {
		Expire int64  `json:"expire"`
		User   string `json:"user"`
	}
	data := make([]mute, r.muted.len())
	for i, u := range r.muted.list {
		data[i] = mute{Expire: r.muteUntil[u], User: u}
	}
	return q.roomEnvelope("get", data), nil
}

// muteOne mutes a member for the body's mute_duration ms (-1 for good; 0
// lifts). The owner is not muted (the group pages' rule and words).
func muteOne(q *request, r *chatroom, u string) userVerdict {
	b, _ := decodeBody[muteBody](q)
	switch {
	case u == r.owner:
		return refused(descOnOwner)
	case !r.members.contains(u):
		return absentFrom(notInRoom(u, r.id))
	}
	return done().until(r.mute(u, q.now.UnixMilli(), b.Duration))
}

func unmuteOne(_ *request, r *chatroom, u string) userVerdict {
	r.unmute(u)
	return done()
}

// muteAll mutes the whole room: the mute list stays as it is, and
// allow-listed members may still speak. The example's action is "put".
func muteAll(q *request) (any, *apiError) { return roomSetAllMuted(q, "put", true) }

func unmuteAll(q *request) (any, *apiError) { return roomSetAllMuted(q, "delete", false) }

func roomSetAllMuted(q *request, action string, on bool) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	r.allMuted = on
	return q.roomEnvelope(action, map[string]bool{"mute": on}), nil
}
