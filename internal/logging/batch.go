package logging

import (
	"io"
	"sync"
	"time"
)

// A busy server logs one line per request, and writing each line on its own
// costs a system call per request: for the smallest GraphQL answers, a tenth
// of the server's time. Batch gathers the lines logged within a moment and
// writes them together: at a few thousand requests a second, one write
// carries some ten lines. A line reaches the log at most batchDelay after it
// was logged, or at once when the server stops (Close); only a process
// killed outright loses what it logged in its last moment.

// batchDelay is how long the first line of a batch waits for others.
const batchDelay = time.Millisecond

// maxPending bounds the lines held when the log cannot keep up (a slow
// disk or pipe): past it, whoever logs writes the batch itself, and so
// waits for the log as it would without batching.
const maxPending = 256 << 10

// Batch is an io.Writer that writes what it is given to w in batches. Its
// writes are whole lines from a logger, kept in the order given. Close
// writes what is left; writes after Close go straight to w.
type Batch struct {
	w     io.Writer
	write sync.Mutex // held while writing to w: batches go out in order

	mu      sync.Mutex
	pending []byte
	spare   []byte
	closed  bool
	err     error // the last error w returned, for Close

	wake chan struct{}
	done chan struct{}
}

// NewBatch starts a Batch writing to w.
func NewBatch(w io.Writer) *Batch {
	b := &Batch{w: w, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go b.run()
	return b
}

// Write keeps p for the next batch; after Close, or when too much is
// pending, it writes at once. A failure to write is not the caller's: a
// logger has nobody to tell; Close reports it.
func (b *Batch) Write(p []byte) (int, error) {
	b.mu.Lock()
	first := len(b.pending) == 0
	b.pending = append(b.pending, p...)
	now := b.closed || len(b.pending) >= maxPending
	if first && !now {
		select { // under mu: Close cannot have closed wake
		case b.wake <- struct{}{}:
		default:
		}
	}
	b.mu.Unlock()
	if now {
		b.flush()
	}
	return len(p), nil
}

// run writes a batch a moment after its first line.
func (b *Batch) run() {
	defer close(b.done)
	for range b.wake {
		time.Sleep(batchDelay)
		b.flush()
	}
}

// flush writes what is pending.
func (b *Batch) flush() {
	b.write.Lock()
	defer b.write.Unlock()
	b.mu.Lock()
	out := b.pending
	b.pending, b.spare = b.spare[:0], nil
	b.mu.Unlock()
	var err error
	if len(out) > 0 {
		_, err = b.w.Write(out)
	}
	if cap(out) > maxPending {
		out = nil // one burst's buffer is not kept for ever
	}
	b.mu.Lock()
	b.spare = out[:0]
	if err != nil {
		b.err = err
	}
	b.mu.Unlock()
}

// Close writes what is pending and stops batching.
func (b *Batch) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	close(b.wake)
	b.mu.Unlock()
	<-b.done
	b.flush()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
