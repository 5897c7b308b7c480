package collapse

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls until cond holds: the callers under test are goroutines
// whose arrival the test cannot otherwise see.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (g *Group[K, V]) waiters(key K) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c := g.waiting[key]; c != nil {
		return c.others + 1
	}
	return 0
}

func TestACallerAloneRunsAtOnce(t *testing.T) {
	var g Group[string, int]
	for i := range 3 {
		v, err, shared := g.Do("k", func(shared bool) (int, error) { return i, nil })
		if v != i || err != nil || shared {
			t.Fatalf("call %d: got %d, %v, shared %v", i, v, err, shared)
		}
	}
}

// The property that keeps answers fresh: whoever comes while a call runs
// gets the value of a call that started after they came.
func TestCallersWhoComeDuringACallShareTheNextOne(t *testing.T) {
	var g Group[string, int]
	var runs atomic.Int32
	release := make(chan struct{})
	first := make(chan int)
	go func() {
		v, _, _ := g.Do("k", func(shared bool) (int, error) {
			runs.Add(1)
			<-release
			return 1, nil
		})
		first <- v
	}()
	waitFor(t, "the first call to start", func() bool { return runs.Load() == 1 })

	const late = 5
	type result struct {
		v      int
		shared bool
	}
	results := make(chan result, late)
	var nextRuns atomic.Int32
	for range late {
		go func() {
			v, _, shared := g.Do("k", func(shared bool) (int, error) {
				if !shared {
					t.Error("the next call does not know it is shared")
				}
				nextRuns.Add(1)
				return 2, nil
			})
			results <- result{v, shared}
		}()
	}
	waitFor(t, "the late callers to wait", func() bool { return g.waiters("k") == late })
	close(release)

	if v := <-first; v != 1 {
		t.Fatalf("the first caller got %d, want its own call's 1", v)
	}
	for range late {
		r := <-results
		if r.v != 2 || !r.shared {
			t.Fatalf("a late caller got %d (shared %v), want the next call's 2, shared", r.v, r.shared)
		}
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("the first call ran %d times", n)
	}
	if n := nextRuns.Load(); n != 1 {
		t.Fatalf("the %d late callers ran %d calls, want one between them", late, n)
	}
}

func TestKeysDoNotShare(t *testing.T) {
	var g Group[string, string]
	release := make(chan struct{})
	started := make(chan struct{})
	go g.Do("a", func(bool) (string, error) {
		close(started)
		<-release
		return "a", nil
	})
	<-started
	// "b" does not wait for "a": were it to, this would never return.
	v, _, shared := g.Do("b", func(bool) (string, error) { return "b", nil })
	close(release)
	if v != "b" || shared {
		t.Fatalf("got %q, shared %v", v, shared)
	}
}

func TestErrorsAndPanicsReachEverySharer(t *testing.T) {
	var g Group[string, int]
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		fn   func(bool) (int, error)
	}{
		{"error", func(bool) (int, error) { return 0, boom }},
		{"panic", func(bool) (int, error) { panic("boom") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			started := make(chan struct{})
			go g.Do("k", func(bool) (int, error) { close(started); <-release; return 0, nil })
			<-started
			var wg sync.WaitGroup
			errs := make(chan error, 3)
			var panics atomic.Int32
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() {
						if recover() != nil {
							panics.Add(1)
						}
					}()
					_, err, _ := g.Do("k", tc.fn)
					errs <- err
				}()
			}
			waitFor(t, "three callers to wait", func() bool { return g.waiters("k") == 3 })
			close(release)
			wg.Wait()
			close(errs)
			n := 0
			for err := range errs {
				n++
				if err == nil {
					t.Fatal("a sharer got no error")
				}
			}
			if tc.name == "panic" && (panics.Load() != 1 || n != 2) {
				t.Fatalf("%d callers panicked and %d got an error; want 1 and 2", panics.Load(), n)
			}
			// The group is usable again.
			if v, err, _ := g.Do("k", func(bool) (int, error) { return 7, nil }); v != 7 || err != nil {
				t.Fatalf("after the %s: %d, %v", tc.name, v, err)
			}
		})
	}
}
