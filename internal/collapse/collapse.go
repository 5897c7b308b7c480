// Package collapse answers identical requests that wait together with one
// call.
//
// When a link is posted in the network's channels, or a dashboard refreshes
// on every member's screen, the same request arrives many times at once.
// Running it once for all of them spares the database, but only if no one
// is answered from a read older than their request: a member who has just
// saved a change, then reloads, must see it. So, unlike a cache or
// golang.org/x/sync/singleflight, a caller never joins a call already
// running. It waits for that call to end and shares the next one with
// every caller that came meanwhile; the next call starts after each of them
// came. A caller alone runs at once.
package collapse

import "sync"

// Group collapses the calls of each key. Its zero value is ready to use.
type Group[K comparable, V any] struct {
	mu      sync.Mutex
	running map[K]*call[V] // the call of each key under way
	waiting map[K]*call[V] // the call of each key that starts when it ends
}

type call[V any] struct {
	done   chan struct{}
	others int // callers who get this call's value beside the one running it
	val    V
	err    error
}

// Do returns what fn returns, run by this caller or by another of the same
// key. shared tells whether other callers get the same value: fn is told
// before it runs, so that it neither writes its value into memory the
// caller will reuse nor lets one caller's going away end the others' call,
// and Do returns it so that the caller treats the value as read-only.
func (g *Group[K, V]) Do(key K, fn func(shared bool) (V, error)) (v V, err error, shared bool) {
	g.mu.Lock()
	if g.running == nil {
		g.running, g.waiting = make(map[K]*call[V]), make(map[K]*call[V])
	}
	if c := g.waiting[key]; c != nil {
		c.others++
		g.mu.Unlock()
		<-c.done
		return c.val, c.err, true
	}
	c := &call[V]{done: make(chan struct{})}
	if prev := g.running[key]; prev != nil {
		g.waiting[key] = c
		g.mu.Unlock()
		<-prev.done
		g.mu.Lock()
		delete(g.waiting, key)
	}
	g.running[key] = c
	shared = c.others > 0
	g.mu.Unlock()

	defer func() {
		g.mu.Lock()
		delete(g.running, key)
		g.mu.Unlock()
		if r := recover(); r != nil {
			c.err = panicked{r}
			close(c.done)
			panic(r)
		}
		close(c.done)
	}()
	c.val, c.err = fn(shared)
	return c.val, c.err, shared
}

// panicked is what the callers sharing a call get when it panicked; the
// panic goes on in the caller that ran it.
type panicked struct{ value any }

func (p panicked) Error() string { return "collapse: l’appel partagé a paniqué" }
