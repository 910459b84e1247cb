package main

import (
	"context"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
)

// groupMember is one row of add-group-members: a user to add to a group.
type groupMember struct {
	GroupID  string `json:"group_id"`
	Username string `json:"username"`
}

// The groups module's bulk jobs.
func init() {
	addJob(&job[groupMember]{
		name:    "add-group-members",
		summary: "add users to groups from a CSV or JSONL file (批量添加群组成员), resumable",
		fields:  "group_id, username (one row per user and group; rows of many groups may mix)",
		group:   easemob.GroupGroupsAddMembers,
		chunk:   catalog.GroupsAddMembers.MaxItems("usernames"),
		// Group IDs are case-sensitive, user IDs are not.
		key: func(m groupMember) string { return m.GroupID + "/" + strings.ToLower(m.Username) },
		send: func(ctx context.Context, c *easemob.Client, chunk []groupMember) ([]outcome, error) {
			return sendParts(chunk, func(m groupMember) string { return m.GroupID }, func(part []groupMember) ([]outcome, error) {
				names := make([]string, len(part))
				for i, m := range part {
					names[i] = m.Username
				}
				return fromBatch(c.Groups.AddMembers(ctx, part[0].GroupID, names, option.Bulk()))
			}), nil
		},
		check: func(ctx context.Context, c *easemob.Client, m groupMember) (bool, error) {
			return c.Groups.IsMember(ctx, m.GroupID, m.Username, option.Bulk())
		},
	})
}

// sendParts sends a chunk of a job as one call per part (the rows of one
// group, the recipients of one message), parts in the order they first
// appear, and returns the outcomes in the chunk's order.
func sendParts[T any](chunk []T, partOf func(T) string, send func(part []T) ([]outcome, error)) []outcome {
	var order []string
	byPart := map[string][]int{}
	for i, it := range chunk {
		k := partOf(it)
		if _, ok := byPart[k]; !ok {
			order = append(order, k)
		}
		byPart[k] = append(byPart[k], i)
	}
	out := make([]outcome, len(chunk))
	for _, k := range order {
		idx := byPart[k]
		part := make([]T, len(idx))
		for j, i := range idx {
			part[j] = chunk[i]
		}
		for j, o := range sendPart(part, send) {
			out[idx[j]] = o
		}
	}
	return out
}

// sendPart sends one part. A part the SDK refused before sending (input
// it cannot send) is sent again item by item, so that only the bad items
// fail; nothing of it reached the server, so nothing is sent twice.
func sendPart[T any](part []T, send func([]T) ([]outcome, error)) []outcome {
	outs, err := send(part)
	if outs != nil {
		return outs
	}
	if len(part) == 1 {
		return []outcome{{state: stFailed, reason: err.Error()}}
	}
	out := make([]outcome, len(part))
	for i := range part {
		out[i] = sendPart(part[i:i+1], send)[0]
	}
	return out
}
