package main

import (
	"context"
	"net"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// bare serves one statement over HTTP and does nothing else: each request,
// whatever it asks, runs the statement through pgx, prepared, and answers
// {"data":…} with the document it reads. A statement lianes reads in rows
// (a list of records that hold lists, jsontree's split) gives the values of
// its rows as a JSON array: the bytes lianes puts together, without the
// keys around them. It is the least a Go server in
// front of PostgreSQL pays per request (net/http, pgx, the round trips),
// measured beside lianes and pgbench so that what lianes adds of its own
// (GraphQL, access rules, limits, logs, metrics) can be told from what any
// server in its place would pay. It runs in this process, idle while wrk
// loads it.
func bare(database, statement string) (url string, stop func(), err error) {
	cfg, err := pgxpool.ParseConfig(database)
	if err != nil {
		return "", nil, err
	}
	cfg.MaxConns = 20 // as lianes's pool
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return "", nil, err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		pool.Close()
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := []byte(`{"data":`)
		rows, err := pool.Query(r.Context(), statement, pgx.QueryExecModeCacheStatement)
		split := err == nil && len(rows.FieldDescriptions()) > 1 // (part, value) rows
		if split {
			answer = append(answer, '[')
		}
		for n := 0; err == nil && rows.Next(); n++ {
			if n > 0 {
				answer = append(answer, ',')
			}
			values := rows.RawValues()
			answer = append(answer, values[len(values)-1]...)
		}
		if err == nil {
			rows.Close()
			err = rows.Err()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if split {
			answer = append(answer, ']')
		}
		answer = append(answer, '}')
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		_, _ = w.Write(answer)
	})}
	go func() { _ = srv.Serve(listener) }()
	return "http://" + listener.Addr().String() + "/graphql", func() {
		_ = srv.Close()
		pool.Close()
	}, nil
}
