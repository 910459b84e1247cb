package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
)

// job is one kind of bulk job over items of type T, read from CSV or JSON
// Lines by their JSON field names. The runner does the rest: the journal,
// resume, concurrency within the quota, progress and the final report. A
// new job (send messages, add members) is one of these, in its module's
// job file.
type job[T any] struct {
	name    string // the command is "job NAME"
	summary string
	fields  string // the input's fields, for --help
	// group is the quota group the job's calls spend: its limits give the
	// ETA.
	group string
	// chunk is how many items one call carries (the op's documented cap).
	chunk int
	// key is an item's identity in the journal and the report; two items
	// of one input may not share it.
	key func(T) string
	// units is the messages an item costs on a messages quota (nil: calls
	// only).
	units func(T) int
	// send makes one call for a chunk and returns one outcome per item in
	// order, or nil and the error when the call was refused as a whole
	// before it was sent (a *easemob.ValidationError naming an item is
	// handled by the runner: that item fails, the rest is sent again).
	send func(ctx context.Context, c *easemob.Client, chunk []T) ([]outcome, error)
	// split, when set, turns one input row into the items it stands for
	// (a message to many recipients: one item per recipient), each with a
	// key of its own; an error is the row's input problem.
	split func(T) ([]T, error)
	// check tells whether an item whose call went out unanswered (or was
	// cut by a kill) was done, so a resumed job sends only what was not.
	// nil: such items are reported unknown and not sent again.
	check func(ctx context.Context, c *easemob.Client, item T) (bool, error)
}

// outcome is what became of one item.
type outcome struct {
	state  string // stDone, stFailed, stUnknown, stNotSent
	reason string
}

// fromBatch reads the per-item outcomes of an SDK batch method.
func fromBatch[In, Out any](res *batch.Result[In, Out], err error) ([]outcome, error) {
	var invalid *easemob.ValidationError
	if res == nil || errors.As(err, &invalid) {
		return nil, err // refused before sending: the runner fails the item it names
	}
	out := make([]outcome, len(res.Items))
	for i, it := range res.Items {
		reason := it.Reason
		if reason == "" && it.Err != nil {
			reason = it.Err.Error()
		}
		switch it.Status {
		case batch.Done:
			out[i] = outcome{state: stDone}
		case batch.Failed:
			out[i] = outcome{state: stFailed, reason: reason}
		case batch.Unknown:
			out[i] = outcome{state: stUnknown, reason: reason}
		default:
			out[i] = outcome{state: stNotSent, reason: reason}
		}
	}
	return out, nil
}

// jobOptions are the flags every job takes.
type jobOptions struct {
	journal, format, progress string
	concurrency               int
	retryFailed, fsync        bool
}

// addJob registers the command "job NAME FILE".
func addJob[T any](j *job[T]) {
	addCommand(&command{path: "job " + j.name, args: "FILE", minArgs: 1, maxArgs: 1, client: true,
		summary: j.summary,
		help: fmt.Sprintf(`FILE is CSV with a header row, or JSON Lines (.jsonl), with the fields:
  %s
Items go %d to a call, in the bulk lane, as fast as the quota of %s
allows (shared through Redis with other jobs when --redis-url is set).
A journal (--journal, default FILE.journal) records every item's outcome:
run the same command again after an interruption and it resumes, sending
no item twice and losing none. The report lists every item not done with
the reason. Exit code 6 when any item failed.`, j.fields, j.chunk, j.group),
		setup: func(fs *flag.FlagSet) runner {
			var o jobOptions
			fs.StringVar(&o.journal, "journal", "", "journal file (default FILE.journal)")
			fs.StringVar(&o.format, "format", "", "csv or jsonl (default: by the file's extension)")
			fs.StringVar(&o.progress, "progress", "auto", "progress on stderr: auto (a bar on a terminal, else lines), bar, lines or off")
			fs.IntVar(&o.concurrency, "concurrency", 8, "calls in flight at once")
			fs.BoolVar(&o.retryFailed, "retry-failed", false, "send again the items an earlier run reported failed")
			fs.BoolVar(&o.fsync, "fsync", false, "sync the journal to disk after every write (survives a machine crash, not only a kill)")
			return func(ctx context.Context, x *call) error { return j.run(ctx, x, o) }
		}})
}

// jobRun is one run of a job.
type jobRun[T any] struct {
	j        *job[T]
	c        *easemob.Client
	items    []inputItem[T]
	journal  *journal
	progress *progress
	workers  int

	mu    sync.Mutex
	state []journalEntry // by item index
}

func (j *job[T]) run(ctx context.Context, x *call, o jobOptions) error {
	path := x.args[0]
	items, err := readItems(path, o.format, j.key)
	if err == nil && j.split != nil {
		items, err = splitItems(path, items, j.split, j.key)
	}
	if err != nil {
		return err
	}
	c, err := x.conn.client(nil)
	if err != nil {
		return err
	}
	lim, err := c.Limiter(j.group)
	if err != nil {
		return err
	}
	if o.journal == "" {
		o.journal = path + ".journal"
	}
	jr, seen, err := openJournal(o.journal, j.name, path, o.fsync)
	if err != nil {
		return err
	}
	defer func() { _ = jr.close() }() // every entry was synced as it was written
	r := &jobRun[T]{j: j, c: c, items: items, journal: jr, workers: max(1, o.concurrency),
		state: make([]journalEntry, len(items))}
	var pending, uncertain []int
	prior := 0
	for i, it := range items {
		e := seen[it.key]
		r.state[i] = e
		switch {
		case e.state == stDone || (e.state == stFailed && !o.retryFailed):
			prior++
		case e.state == stSent || e.state == stUnknown:
			uncertain = append(uncertain, i)
		default:
			pending = append(pending, i)
		}
	}
	start := time.Now()
	r.progress = newProgress(x.stderr, o.progress, j.name, len(items), prior, lim, j.chunk, r.unitsPerItem(pending))
	r.progress.start()
	// Items a killed run may have done are settled before anything is sent.
	pending = append(r.settle(ctx, uncertain), pending...)
	slices.Sort(pending)
	r.pass(ctx, pending)
	if again := r.unknownNow(); len(again) > 0 && ctx.Err() == nil && j.check != nil {
		r.pass(ctx, r.settle(ctx, again))
	}
	r.progress.finish()
	return r.report(ctx, x, prior, time.Since(start))
}

// splitItems replaces each row by the items split makes of it, which keep
// the row's line.
func splitItems[T any](path string, rows []inputItem[T], split func(T) ([]T, error), key func(T) string) ([]inputItem[T], error) {
	var out []inputItem[T]
	var problems []string
	for _, r := range rows {
		parts, err := split(r.item)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", r.line, err))
			continue
		}
		for _, p := range parts {
			out = append(out, inputItem[T]{line: r.line, key: key(p), item: p})
		}
	}
	if len(problems) > 0 {
		return nil, inputError(path, problems)
	}
	return out, nil
}

func (r *jobRun[T]) unitsPerItem(idx []int) float64 {
	if r.j.units == nil || len(idx) == 0 {
		return 1
	}
	sum := 0
	for _, i := range idx {
		sum += max(1, r.j.units(r.items[i].item))
	}
	return float64(sum) / float64(len(idx))
}

func (r *jobRun[T]) set(i int, o outcome) {
	r.mu.Lock()
	r.state[i] = journalEntry(o)
	r.mu.Unlock()
	r.progress.add(o.state)
}

func (r *jobRun[T]) unknownNow() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for i, e := range r.state {
		if e.state == stUnknown {
			out = append(out, i)
		}
	}
	return out
}

// settle asks the server about items of unknown outcome: those it has done
// are journaled done; the others are returned, to be sent. Without a
// check they stay unknown.
func (r *jobRun[T]) settle(ctx context.Context, idx []int) []int {
	if len(idx) == 0 {
		return nil
	}
	if r.j.check == nil {
		for _, i := range idx {
			r.set(i, outcome{state: stUnknown, reason: orText(r.state[i].reason, "sent when the run was interrupted; this job cannot tell whether it was done")})
		}
		return nil
	}
	var (
		mu     sync.Mutex
		resend []int
		wg     sync.WaitGroup
		next   = make(chan int)
	)
	for range r.workers {
		wg.Go(func() {
			for i := range next {
				it := r.items[i]
				done, err := r.j.check(ctx, r.c, it.item)
				switch {
				case err != nil:
					o := outcome{state: stUnknown, reason: "could not tell whether it was done: " + err.Error()}
					r.set(i, o)
					_ = r.journal.outcomes([]string{it.key}, []outcome{o})
				case done:
					o := outcome{state: stDone, reason: "found done on the server after an interruption"}
					r.set(i, o)
					_ = r.journal.outcomes([]string{it.key}, []outcome{o})
				default:
					mu.Lock()
					resend = append(resend, i)
					mu.Unlock()
				}
			}
		})
	}
	for _, i := range idx {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return resend
}

func orText(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// pass sends the items idx, in chunks, with r.workers calls in flight. An
// interruption stops new chunks; those in flight finish and are journaled.
func (r *jobRun[T]) pass(ctx context.Context, idx []int) {
	chunks := make(chan []int)
	var wg sync.WaitGroup
	calls := context.WithoutCancel(ctx) // a call under way is finished, not cut
	for range r.workers {
		wg.Go(func() {
			for part := range chunks {
				r.sendChunk(calls, part)
			}
		})
	}
	for start := 0; start < len(idx); start += r.j.chunk {
		if ctx.Err() != nil {
			break
		}
		select {
		case chunks <- idx[start:min(start+r.j.chunk, len(idx))]:
		case <-ctx.Done():
		}
	}
	close(chunks)
	wg.Wait()
}

func (r *jobRun[T]) sendChunk(ctx context.Context, part []int) {
	keys := make([]string, len(part))
	chunk := make([]T, len(part))
	for i, k := range part {
		keys[i], chunk[i] = r.items[k].key, r.items[k].item
	}
	if err := r.journal.sent(keys); err != nil {
		for _, k := range part {
			r.set(k, outcome{state: stNotSent, reason: err.Error()})
		}
		return
	}
	outs := r.sendSplit(ctx, chunk)
	if err := r.journal.outcomes(keys, outs); err != nil {
		r.progress.note("journal: " + err.Error())
	}
	for i, k := range part {
		r.set(k, outs[i])
	}
}

// itemField finds the item an SDK validation error names, e.g. "users[3].username".
var itemField = regexp.MustCompile(`^[A-Za-z_]+\[(\d+)\]`)

// sendSplit sends a chunk; when the SDK refuses it for one item's input,
// that item fails with the reason and the rest is sent without it.
func (r *jobRun[T]) sendSplit(ctx context.Context, chunk []T) []outcome {
	if len(chunk) == 0 {
		return nil
	}
	outs, err := r.j.send(ctx, r.c, chunk)
	if outs != nil {
		return outs
	}
	var v *easemob.ValidationError
	if errors.As(err, &v) {
		if m := itemField.FindStringSubmatch(v.Field); m != nil {
			if bad, _ := strconv.Atoi(m[1]); bad < len(chunk) {
				rest := r.sendSplit(ctx, append(slices.Clone(chunk[:bad]), chunk[bad+1:]...))
				return slices.Insert(rest, bad, outcome{state: stFailed, reason: err.Error()})
			}
		}
	}
	out := make([]outcome, len(chunk))
	for i := range out {
		out[i] = outcome{state: stFailed, reason: err.Error()}
	}
	return out
}

// jobReport is the final report: counts and every item not done.
type jobReport struct {
	Job        string       `json:"job"`
	Items      int          `json:"items"`
	Done       int          `json:"done"`
	DoneBefore int          `json:"done_before"` // final before this run (done or failed)
	Failed     int          `json:"failed"`
	Unknown    int          `json:"unknown"`
	Pending    int          `json:"pending"` // not sent: the run was interrupted
	Seconds    float64      `json:"seconds"`
	NotDone    []reportItem `json:"not_done"`
}

type reportItem struct {
	Line   int    `json:"line"`
	Key    string `json:"key"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func (r *jobRun[T]) report(ctx context.Context, x *call, prior int, took time.Duration) error {
	rep := jobReport{Job: r.j.name, Items: len(r.items), DoneBefore: prior, Seconds: took.Seconds(), NotDone: []reportItem{}}
	r.mu.Lock()
	for i, e := range r.state {
		switch e.state {
		case stDone:
			rep.Done++
			continue
		case stFailed:
			rep.Failed++
		case stUnknown:
			rep.Unknown++
		default:
			rep.Pending++
			continue // not sent: the next run sends it; not a failure
		}
		rep.NotDone = append(rep.NotDone, reportItem{Line: r.items[i].line, Key: r.items[i].key, Status: e.state, Reason: e.reason})
	}
	r.mu.Unlock()
	fmt.Fprintf(x.stderr, "%s: %d of %d items done, %d failed, %d of unknown outcome, %d not sent, in %s\n",
		r.j.name, rep.Done, rep.Items, rep.Failed, rep.Unknown, rep.Pending, took.Round(time.Millisecond))
	if x.out.json {
		if err := x.out.print(rep); err != nil {
			return err
		}
	} else if len(rep.NotDone) > 0 {
		if err := x.out.print(rep.NotDone); err != nil {
			return err
		}
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted with %d items not sent: run the same command again to resume: %w", rep.Pending, context.Cause(ctx))
	case rep.Failed > 0 || rep.Unknown > 0:
		return &itemsFailed{failed: rep.Failed, unknown: rep.Unknown}
	}
	return nil
}
