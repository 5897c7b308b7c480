// Command load measures a GraphQL endpoint under concurrent load: requests
// per second, median and 99th percentile latency. It sends the same query
// over and over from a fixed number of workers, for a fixed time, and only
// to the address it is given (a server on this machine).
//
//	go run ./bench/load -url http://127.0.0.1:8080/graphql -query bench/shapes/01-structures-projects-partners/lianes.graphql -c 8 -d 20s
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint")
	queryFile := flag.String("query", "bench/shapes/01-structures-projects-partners/lianes.graphql", "file holding the query")
	workers := flag.Int("c", 8, "concurrent workers")
	duration := flag.Duration("d", 20*time.Second, "how long to send requests")
	warmup := flag.Duration("warmup", 3*time.Second, "requests sent first and not measured")
	flag.Parse()

	query, err := os.ReadFile(*queryFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	body, _ := json.Marshal(map[string]string{"query": string(query)})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers}, Timeout: 30 * time.Second}

	send := func() error {
		resp, err := client.Post(*url, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || bytes.Contains(raw[:min(len(raw), 200)], []byte(`"errors"`)) {
			return fmt.Errorf("status %d: %.200s", resp.StatusCode, raw)
		}
		return nil
	}
	if err := send(); err != nil {
		fmt.Fprintln(os.Stderr, "load: the query fails:", err)
		os.Exit(1)
	}

	run := func(d time.Duration, record bool) ([]time.Duration, int) {
		var mu sync.Mutex
		var latencies []time.Duration
		failures := 0
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		for range *workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				bad := 0
				for time.Now().Before(deadline) {
					start := time.Now()
					if err := send(); err != nil {
						bad++
						continue
					}
					mine = append(mine, time.Since(start))
				}
				mu.Lock()
				latencies = append(latencies, mine...)
				failures += bad
				mu.Unlock()
			}()
		}
		wg.Wait()
		return latencies, failures
	}
	run(*warmup, false)
	latencies, failures := run(*duration, true)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	fmt.Printf("%s\t%d workers\t%.0f req/s\tp50 %.1f ms\tp99 %.1f ms\t%d requests\t%d failed\n",
		*url, *workers, float64(len(latencies))/duration.Seconds(),
		float64(pct(0.50).Microseconds())/1000, float64(pct(0.99).Microseconds())/1000, len(latencies), failures)
}
