package logging_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/logging"
)

// writes is a log destination that counts the writes it receives.
type writes struct {
	mu    sync.Mutex
	text  strings.Builder
	calls int
	fail  error
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	if w.fail != nil {
		return 0, w.fail
	}
	return w.text.Write(p)
}

func (w *writes) read() (string, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.text.String(), w.calls
}

func TestBatchWritesEveryLineInOrderAndFewerTimes(t *testing.T) {
	dest := &writes{}
	batch := logging.NewBatch(dest)
	log, err := logging.New(batch, "text", slog.LevelInfo)
	require.NoError(t, err)

	// Four goroutines log 500 lines each, numbered: each one's lines must
	// come out whole and in its order.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				log.Info("requête", "g", g, "i", i)
			}
		})
	}
	wg.Wait()
	require.NoError(t, batch.Close())

	text, calls := dest.read()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	require.Len(t, lines, 2000)
	next := map[string]int{}
	for _, line := range lines {
		var g, i int
		_, err := fmt.Sscanf(line[strings.Index(line, " g="):], " g=%d i=%d", &g, &i)
		require.NoError(t, err, line)
		require.Equal(t, next[fmt.Sprint(g)], i, "goroutine %d's lines out of order: %s", g, line)
		next[fmt.Sprint(g)]++
	}
	require.Less(t, calls, 1000, "2000 lines logged at once went out in %d writes", calls)
}

func TestBatchWritesALineSoonWithoutClose(t *testing.T) {
	dest := &writes{}
	batch := logging.NewBatch(dest)
	defer batch.Close()
	_, _ = batch.Write([]byte("une ligne\n"))
	require.Eventually(t, func() bool {
		text, _ := dest.read()
		return text == "une ligne\n"
	}, 5*time.Second, time.Millisecond, "a lone line waits for no other")
}

func TestBatchWritesAtOnceAfterClose(t *testing.T) {
	dest := &writes{}
	batch := logging.NewBatch(dest)
	_, _ = batch.Write([]byte("avant\n"))
	require.NoError(t, batch.Close())
	_, _ = batch.Write([]byte("après\n"))
	text, _ := dest.read()
	require.Equal(t, "avant\naprès\n", text, "the line logged after Close (the last words of a stopping server) is written at once")
}

// stuck is a log destination that cannot take anything until released:
// a full pipe, a stalled disk.
type stuck struct {
	writes
	release chan struct{}
}

func (s *stuck) Write(p []byte) (int, error) {
	<-s.release
	return s.writes.Write(p)
}

func TestBatchHoldsBoundedLinesWhenTheLogIsStuck(t *testing.T) {
	dest := &stuck{release: make(chan struct{})}
	batch := logging.NewBatch(dest)
	line := strings.Repeat("x", 1023) + "\n"
	done := make(chan int)
	go func() {
		n := 0
		for range 600 { // 600 KiB: past what a batch holds
			_, _ = batch.Write([]byte(line))
			n++
		}
		done <- n
	}()
	select {
	case n := <-done:
		t.Fatalf("the log is stuck, yet %d lines were taken without waiting", n)
	case <-time.After(100 * time.Millisecond):
	}
	close(dest.release)
	require.Equal(t, 600, <-done)
	require.NoError(t, batch.Close())
	text, _ := dest.read()
	require.Equal(t, strings.Repeat(line, 600), text)
}

func TestBatchCloseReportsAFailedWrite(t *testing.T) {
	dest := &writes{fail: errors.New("disque plein")}
	batch := logging.NewBatch(dest)
	_, err := batch.Write([]byte("perdue\n"))
	require.NoError(t, err, "a logger has no one to tell")
	require.ErrorContains(t, batch.Close(), "disque plein")
}
