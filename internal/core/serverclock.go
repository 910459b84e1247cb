package core

import (
	"bytes"
	"strconv"
	"sync"
	"time"
)

// serverClock learns how the server's clock stands to ours from the
// "timestamp" of its answers, to tell when the server counted a call: the
// server stamps an answer while it handles the call, so the stamp's
// instant lies between our send and our answer. Each answer bounds the
// offset (server minus local) to [stamp - answer, stamp + 1ms - send];
// intersecting them gives lo, the largest lower bound, and the latest
// local instant the server can have stamped a call is stamp + 1ms - lo.
// Counting a call from there is safe whatever the two legs' shares of the
// round trip, and gains the return leg of the fastest answers seen.
//
// It stays safe when its assumptions fail: bounds age by maxDrift (clocks
// drift), an answer whose bounds contradict the learnt ones (a server
// clock that jumped) restarts the learning from that answer, and an
// estimate outside [send, answer] is not used: the answer rule applies.
type serverClock struct {
	mu     sync.Mutex
	known  bool
	lo, hi int64     // offset bounds, ns
	at     time.Time // when lo was learnt
	hiAt   time.Time
}

// stampMargin is added to every bound: a server clock stepping back by
// less than a request's way there goes unnoticed, and this covers small
// steps.
const stampMargin = 2 * time.Millisecond

// maxDrift is how fast two clocks may drift apart: 200 ppm, far above
// what NTP-run hosts show.
const maxDrift = 200e-6

// countedBy returns the latest local time at which the server can have
// stamped an answer of stampMs sent at send and answered at answer; false
// when the answer carries no usable stamp.
func (k *serverClock) countedBy(stampMs int64, send, answer time.Time) (time.Time, bool) {
	stamp := stampMs * int64(time.Millisecond)
	lo := stamp - answer.UnixNano()
	hi := stamp + int64(time.Millisecond) - send.UnixNano()
	k.mu.Lock()
	if k.known {
		age := func(t time.Time) int64 { return int64(float64(answer.Sub(t)) * maxDrift) }
		curLo, curHi := k.lo-age(k.at), k.hi+age(k.hiAt)
		switch {
		case lo > curHi || hi < curLo:
			k.known = false // the server's clock jumped: learn again
		default:
			if lo > curLo {
				k.lo, k.at = lo, answer
			} else {
				k.lo, k.at = curLo, answer
			}
			if hi < curHi {
				k.hi, k.hiAt = hi, answer
			} else {
				k.hi, k.hiAt = curHi, answer
			}
		}
	}
	if !k.known {
		k.known, k.lo, k.hi, k.at, k.hiAt = true, lo, hi, answer, answer
	}
	best := k.lo
	k.mu.Unlock()
	t := time.Unix(0, stamp+int64(time.Millisecond)-best).Add(stampMargin)
	if t.Before(send) || t.After(answer) {
		return time.Time{}, false
	}
	return t, true
}

// stampKey starts the envelope's stamp: its last "timestamp" (the docs'
// bodies put entities, which may carry their own, before it).
var stampKey = []byte(`"timestamp":`)

// answerStamp returns the last top-level-looking "timestamp" number of a
// JSON body, in milliseconds.
func answerStamp(body []byte) (int64, bool) {
	i := bytes.LastIndex(body, stampKey)
	if i < 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(body[i+len(stampKey):], " \t\r\n\"")
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	v, err := strconv.ParseInt(string(rest[:n]), 10, 64)
	return v, err == nil && v > 0
}
