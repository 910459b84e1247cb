package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// The journal of a bulk job is a JSON Lines file, appended to as the job
// runs, from which a later run resumes. Its first line names the job; then
// a "sent" line lists the keys of each chunk before its call goes out, and
// one line per item records the outcome once known. An item whose last
// line is "sent" or "unknown" may or may not have been done: a resumed run
// asks the server (the job's check) before sending it again, so no item is
// done twice and none is lost. A kill can cut the last line short; reading
// skips it.

// Item states in the journal.
const (
	stSent    = "sent"    // its call went out (or was about to); no outcome yet
	stDone    = "done"    // the server accepted it
	stFailed  = "failed"  // the server refused it, or its call failed: the reason says which
	stUnknown = "unknown" // its call went out and no answer came
	stNotSent = "notsent" // its call never went out: send it again
)

type journalHeader struct {
	Journal string `json:"journal"` // "easemob-job"
	Job     string `json:"job"`
	Input   string `json:"input,omitempty"`
}

type journalLine struct {
	Sent   []string `json:"sent,omitempty"`
	Key    string   `json:"k,omitempty"`
	State  string   `json:"s,omitempty"`
	Reason string   `json:"r,omitempty"`
}

// journalEntry is the last known state of one item.
type journalEntry struct {
	state, reason string
}

// journal appends to a job's journal file; it is safe for concurrent use.
type journal struct {
	mu    sync.Mutex
	f     *os.File
	fsync bool
}

// openJournal reads what an earlier run recorded, by key, and opens the
// file for appending; a new file starts with the header.
func openJournal(path, job, input string, fsync bool) (*journal, map[string]journalEntry, error) {
	seen, err := readJournal(path, job)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	j := &journal{f: f, fsync: fsync}
	if seen == nil {
		seen = map[string]journalEntry{}
		if err := j.write(journalHeader{Journal: "easemob-job", Job: job, Input: input}); err != nil {
			_ = f.Close()
			return nil, nil, err
		}
	} else if err := j.endLine(); err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return j, seen, nil
}

// readJournal returns the last state of every key, or nil when the file
// does not exist yet.
func readJournal(path, job string) (map[string]journalEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	seen := map[string]journalEntry{}
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			var h journalHeader
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Journal != "easemob-job" {
				return nil, usagef("%s is not a job journal", path)
			}
			if h.Job != job {
				return nil, usagef("%s is the journal of job %s, not %s", path, h.Job, job)
			}
			continue
		}
		var l journalLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			continue // a line cut short by a kill: its write never finished
		}
		for _, k := range l.Sent {
			seen[k] = journalEntry{state: stSent}
		}
		if l.Key != "" {
			seen[l.Key] = journalEntry{state: l.State, reason: l.Reason}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return seen, nil
}

// endLine ends a line cut short by a kill, so the next one starts clean.
func (j *journal) endLine() error {
	st, err := j.f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	r, err := os.Open(j.f.Name())
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }() // read only
	if _, err := r.ReadAt(last, st.Size()-1); err != nil {
		return err
	}
	if last[0] != '\n' {
		_, err = j.f.Write([]byte("\n"))
	}
	return err
}

// write appends records as lines with one write, so a kill leaves either
// all of them or a cut last line.
func (j *journal) write(records ...any) error {
	var buf []byte
	for _, r := range records {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf = append(append(buf, b...), '\n')
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(buf); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if j.fsync {
		return j.f.Sync()
	}
	return nil
}

func (j *journal) sent(keys []string) error { return j.write(journalLine{Sent: keys}) }

func (j *journal) outcomes(keys []string, outs []outcome) error {
	lines := make([]any, len(keys))
	for i, k := range keys {
		lines[i] = journalLine{Key: k, State: outs[i].state, Reason: outs[i].reason}
	}
	return j.write(lines...)
}

func (j *journal) close() error { return j.f.Close() }
