// Command suite measures every query shape of bench/shapes on lianes and its
// peers, under the same load, and prints one table: requests per second and
// latency of each server, the ratio of lianes to the faster PostGraphile, and,
// for the shapes lianes answers with one SQL statement, pgbench running that
// very statement and a bare Go server answering with it (bare.go). bench/run.sh
// starts the servers and calls it.
//
// Each shape is a directory holding lianes.graphql and postgraphile.graphql
// (postgraphile5.graphql where PostGraphile 5 names a field otherwise); a
// file named staff makes lianes's requests bear the -token given; a file named
// vary gives a variable another value on each request (see readVary). Load
// comes from wrk, with a Lua script that posts the query.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// target is a server measured: lianes (on a database) or a peer.
type target struct {
	name, url string
	peer      bool // a PostGraphile, answering postgraphile*.graphql
	v5        bool // PostGraphile 5, which reads postgraphile5.graphql first
}

// result is what wrk or pgbench measured.
type result struct {
	rps       float64
	p50, p99  string
	failed    string // why there is no figure
	non2xx    int
	statement bool // pgbench: the shape is one statement
}

func main() {
	shapesDir := flag.String("shapes", "bench/shapes", "directory of the query shapes")
	only := flag.String("only", "", "measure only the shapes whose name contains this")
	lianes := flag.String("lianes", "http://127.0.0.1:8181/graphql", "lianes on PostgreSQL")
	sqlite := flag.String("lianes-sqlite", "", "lianes on SQLite (optional)")
	apart := flag.String("lianes-apart", "", "lianes on PostgreSQL started with --share-runs=false, where identical requests each run their statement (optional)")
	pg4 := flag.String("pg4", "http://127.0.0.1:5678/graphql", "PostGraphile 4")
	pg5 := flag.String("pg5", "http://127.0.0.1:5679/graphql", "PostGraphile 5")
	token := flag.String("token", "", "API token of the staff role, for the shapes marked staff")
	sqliteToken := flag.String("sqlite-token", "", "the same for lianes on SQLite, whose database holds its own tokens")
	database := flag.String("database", "", "the PostgreSQL database the servers read: each one-statement shape is run by pgbench")
	duration := flag.Duration("d", 10*time.Second, "load duration per shape and server, split in rounds")
	rounds := flag.Int("rounds", 3, "rounds per shape: the servers take turns, each loaded for a share of -d in each round")
	connections := flag.Int("c", 8, "concurrent connections")
	pids := flag.String("pids", "", "name=pid,… of the lianes processes whose memory is reported")
	printSQL := flag.Bool("sql", false, "print the SQL statements lianes sends for each shape (needs -database), measure nothing")
	flag.Parse()

	targets := []target{{name: "lianes", url: *lianes}}
	if *apart != "" {
		targets = append(targets, target{name: "lianes-apart", url: *apart})
	}
	if *sqlite != "" {
		targets = append(targets, target{name: "lianes-sqlite", url: *sqlite})
	}
	targets = append(targets, target{name: "pg4", url: *pg4, peer: true}, target{name: "pg5", url: *pg5, peer: true, v5: true})

	dirs, err := os.ReadDir(*shapesDir)
	if err != nil {
		fail(err)
	}
	var statements *capture
	if *database != "" {
		if statements, err = newCapture(*database); err != nil {
			fail(err)
		}
	}

	if *printSQL {
		if statements == nil {
			fail(fmt.Errorf("-sql needs -database"))
		}
		for _, d := range dirs {
			if !d.IsDir() || !strings.Contains(d.Name(), *only) {
				continue
			}
			query, err := os.ReadFile(filepath.Join(*shapesDir, d.Name(), "lianes.graphql"))
			if err != nil {
				fail(err)
			}
			if v, err := readVary(filepath.Join(*shapesDir, d.Name())); err != nil || v != nil {
				fmt.Printf("-- %s: a statement per request (vary)\n\n", d.Name())
				continue
			}
			_, err = os.Stat(filepath.Join(*shapesDir, d.Name(), "staff"))
			sqls := statements.statements(string(query), err == nil)
			fmt.Printf("-- %s: %d statement(s)\n%s;\n\n", d.Name(), len(sqls), strings.Join(sqls, ";\n"))
		}
		return
	}

	type row struct {
		shape   string
		results map[string]result
	}
	var rows []row
	for _, d := range dirs {
		if !d.IsDir() || !strings.Contains(d.Name(), *only) {
			continue
		}
		dir := filepath.Join(*shapesDir, d.Name())
		_, err := os.Stat(filepath.Join(dir, "staff"))
		staff := err == nil
		v, err := readVary(dir)
		if err != nil {
			fail(err)
		}
		r := row{shape: d.Name(), results: map[string]result{}}
		type server struct {
			name   string
			load   runner
			rounds []result
		}
		var servers []*server
		for _, t := range targets {
			file := "lianes.graphql"
			if t.peer {
				file = "postgraphile.graphql"
				if _, err := os.Stat(filepath.Join(dir, "postgraphile5.graphql")); err == nil && t.v5 {
					file = "postgraphile5.graphql"
				}
			}
			query, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				fail(err)
			}
			auth := ""
			if staff && !t.peer {
				auth = *token
				if t.name == "lianes-sqlite" {
					auth = *sqliteToken
				}
			}
			l, res := prepare(t.url, string(query), auth, v.of(t.peer), *connections)
			if l == nil {
				r.results[t.name] = res
				fmt.Fprintf(os.Stderr, "%-32s %-14s %s\n", d.Name(), t.name, res.failed)
				continue
			}
			servers = append(servers, &server{name: t.name, load: l})
		}
		var statement string // the shape's one statement, for pgbench and the bare server
		stopBare := func() {}
		if statements != nil && v != nil {
			r.results["pgbench"] = result{failed: "a statement per request"}
		} else if statements != nil {
			query, _ := os.ReadFile(filepath.Join(dir, "lianes.graphql"))
			if sqls := statements.statements(string(query), staff); len(sqls) != 1 {
				r.results["pgbench"] = result{failed: fmt.Sprintf("%d statements", len(sqls))}
			} else {
				statement = sqls[0]
				pb, res := newPgbench(*database, statement, *connections)
				if pb == nil {
					r.results["pgbench"] = res
				} else {
					servers = append(servers, &server{name: "pgbench", load: pb})
				}
				url, stop, err := bare(*database, statement)
				if err != nil {
					fail(err)
				}
				stopBare = stop
				l, res := prepare(url, string(query), "", nil, *connections)
				if l == nil {
					r.results["bare"] = res
				} else {
					servers = append(servers, &server{name: "bare", load: l})
				}
			}
		}
		// The servers take turns, round after round: on a machine whose
		// speed drifts, each meets the same drift.
		slice := max(time.Second, (*duration / time.Duration(*rounds)).Truncate(time.Second))
		for range *rounds {
			for _, sv := range servers {
				sv.rounds = append(sv.rounds, sv.load.run(slice))
			}
		}
		stopBare()
		for _, sv := range servers {
			sv.load.close()
			res := combine(sv.rounds)
			r.results[sv.name] = res
			fmt.Fprintf(os.Stderr, "%-32s %-14s %8.0f req/s  p50 %-9s p99 %-9s %s\n", d.Name(), sv.name, res.rps, res.p50, res.p99, res.failed)
		}
		rows = append(rows, r)
	}

	// The table, in Markdown.
	cols := []string{"lianes"}
	if *apart != "" {
		cols = append(cols, "lianes-apart")
	}
	if *sqlite != "" {
		cols = append(cols, "lianes-sqlite")
	}
	cols = append(cols, "pg4", "pg5")
	fmt.Printf("| shape | %s | pgbench | bare Go server | lianes / best PostGraphile | lianes / pgbench | bare / pgbench |", strings.Join(cols, " | "))
	if *apart != "" {
		fmt.Print(" apart / best PostGraphile | apart / pgbench |")
	}
	if *sqlite != "" {
		fmt.Print(" SQLite / best PostGraphile |")
	}
	fmt.Println()
	fmt.Println(strings.Repeat("| --- ", len(cols)+6+2*boolInt(*apart != "")+boolInt(*sqlite != "")) + "|")
	for _, r := range rows {
		fmt.Printf("| %s |", r.shape)
		for _, c := range cols {
			res := r.results[c]
			if res.failed != "" {
				fmt.Printf(" %s |", res.failed)
				continue
			}
			fmt.Printf(" %.0f (p50 %s, p99 %s) |", res.rps, res.p50, res.p99)
		}
		pgb := r.results["pgbench"]
		switch {
		case statements == nil:
			fmt.Print(" |")
		case pgb.failed != "":
			fmt.Printf(" %s |", pgb.failed)
		case !pgb.statement:
			fmt.Print(" not one statement |")
		default:
			fmt.Printf(" %.0f |", pgb.rps)
		}
		bareRes, measured := r.results["bare"]
		switch {
		case !measured:
			fmt.Print(" |")
		case bareRes.failed != "":
			fmt.Printf(" %s |", bareRes.failed)
		default:
			fmt.Printf(" %.0f |", bareRes.rps)
		}
		best := max(r.results["pg4"].rps, r.results["pg5"].rps)
		fmt.Printf(" %s |", ratio(r.results["lianes"].rps, best))
		if pgb.statement {
			fmt.Printf(" %s | %s |", ratio(r.results["lianes"].rps, pgb.rps), ratio(bareRes.rps, pgb.rps))
		} else {
			fmt.Print(" | |")
		}
		if *apart != "" {
			fmt.Printf(" %s |", ratio(r.results["lianes-apart"].rps, best))
			if pgb.statement {
				fmt.Printf(" %s |", ratio(r.results["lianes-apart"].rps, pgb.rps))
			} else {
				fmt.Print(" |")
			}
		}
		if *sqlite != "" {
			fmt.Printf(" %s |", ratio(r.results["lianes-sqlite"].rps, best))
		}
		fmt.Println()
	}
	if *pids != "" {
		fmt.Println()
		for _, p := range strings.Split(*pids, ",") {
			name, pid, _ := strings.Cut(p, "=")
			fmt.Printf("%s: %s\n", name, memory(pid))
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "suite:", err)
	os.Exit(1)
}

// warmup is the load sent before each measure.
const warmup = 3 * time.Second

// vary is a variable given another value on each request.
type vary struct {
	variable     string
	first, last  int
	lianes, peer string // how each server reads the number: a fmt format
}

// varying is the value of a vary for one kind of server.
type varying struct {
	variable    string
	first, last int
	format      string
}

// readVary reads a shape's vary file, nil when it has none. Its lines:
// "variable NAME", "range FIRST LAST", "lianes FORMAT", "peer FORMAT"; #
// starts a comment.
func readVary(dir string) (*vary, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "vary"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &vary{}
	for _, line := range strings.Split(string(raw), "\n") {
		key, value, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch key {
		case "", "#":
		case "variable":
			v.variable = value
		case "range":
			if _, err := fmt.Sscanf(value, "%d %d", &v.first, &v.last); err != nil {
				return nil, fmt.Errorf("%s/vary: range: %w", dir, err)
			}
		case "lianes":
			v.lianes = value
		case "peer":
			v.peer = value
		default:
			if !strings.HasPrefix(key, "#") {
				return nil, fmt.Errorf("%s/vary: %q unknown", dir, key)
			}
		}
	}
	if v.variable == "" || v.last < v.first || v.lianes == "" || v.peer == "" {
		return nil, fmt.Errorf("%s/vary: variable, range, lianes and peer expected", dir)
	}
	return v, nil
}

func (v *vary) of(peer bool) *varying {
	if v == nil {
		return nil
	}
	format := v.lianes
	if peer {
		format = v.peer
	}
	return &varying{variable: v.variable, first: v.first, last: v.last, format: format}
}

// varyMark stands for the value in the JSON body the Lua script completes.
const varyMark = "@@vary@@"

// prepare checks that the server answers the query without errors, writes
// wrk's script for it and warms the server up; nil when it fails.
func prepare(url, query, token string, v *varying, connections int) (*load, result) {
	body, _ := json.Marshal(map[string]string{"query": query})
	var template []byte
	if v != nil {
		template, _ = json.Marshal(map[string]any{"query": query, "variables": map[string]string{v.variable: varyMark}})
		body = bytes.Replace(template, []byte(varyMark), []byte(fmt.Sprintf(v.format, v.first)), 1)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, result{failed: "unreachable"}
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var answer struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if json.Unmarshal(raw, &answer) != nil || resp.StatusCode != http.StatusOK || len(answer.Errors) > 0 || len(answer.Data) < 3 {
		fmt.Fprintf(os.Stderr, "%s answers %d: %.300s\n", url, resp.StatusCode, raw)
		return nil, result{failed: "errors"}
	}

	script, err := os.CreateTemp("", "suite-*.lua")
	if err != nil {
		fail(err)
	}
	lua := "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
	if token != "" {
		lua += fmt.Sprintf("wrk.headers[\"Authorization\"] = %q\n", "Bearer "+token)
	}
	if v != nil {
		// The same walk for every server: the next number by steps of a
		// prime, so that no two neighbouring requests are alike; each of
		// wrk's threads starts half a walk from the other, so that they do
		// not send the same requests side by side.
		before, after, _ := bytes.Cut(template, []byte(varyMark))
		size := v.last - v.first + 1
		lua += fmt.Sprintf("local threads = 0\nsetup = function(thread)\n  thread:set(\"offset\", threads * %d)\n  threads = threads + 1\nend\n"+
			"local n = 0\nrequest = function()\n  n = n + 1\n"+
			"  local body = %s .. string.format(%q, %d + ((n + (offset or 0)) * 7919) %% %d) .. %s\n"+
			"  return wrk.format(nil, nil, nil, body)\nend\n",
			size/2, luaString(string(before)), v.format, v.first, size, luaString(string(after)))
	} else {
		lua += fmt.Sprintf("wrk.body = %s\n", luaString(string(body)))
	}
	script.WriteString(lua)
	script.Close()

	l := &load{url: url, script: script.Name(), connections: connections}
	// Unmeasured first: connections opened, plans cached, Node's JIT warm.
	if res := l.run(warmup); res.failed != "" {
		l.close()
		return nil, res
	}
	return l, result{}
}

// runner is one contender of a shape: a server loaded by wrk, or pgbench
// running the shape's statement.
type runner interface {
	// run loads for d and returns what was measured.
	run(d time.Duration) result
	close()
}

// load is wrk's script for one server and shape, ready to run.
type load struct {
	url, script string
	connections int
}

// run loads the server for d and returns what wrk measured.
func (l *load) run(d time.Duration) result {
	out, err := exec.Command("wrk", "-t", "2", "-c", strconv.Itoa(l.connections), "-d", d.String(), "--latency",
		"-s", l.script, l.url).CombinedOutput()
	if err != nil {
		return result{failed: "wrk: " + err.Error()}
	}
	return parseWrk(string(out))
}

func (l *load) close() { os.Remove(l.script) }

// combine sums up the rounds of one server: the mean rate and median
// latency, the worst p99; a failed round fails the whole.
func combine(rounds []result) result {
	var sum result
	var worst time.Duration
	var p50 time.Duration
	for _, r := range rounds {
		if r.failed != "" {
			return r
		}
		sum.rps += r.rps / float64(len(rounds))
		sum.statement = r.statement
		d50, _ := time.ParseDuration(r.p50)
		p50 += d50 / time.Duration(len(rounds))
		if d99, _ := time.ParseDuration(r.p99); d99 > worst {
			worst = d99
		}
	}
	if rounds[0].p50 != "" { // pgbench gives none
		sum.p50 = fmt.Sprintf("%.2fms", float64(p50)/float64(time.Millisecond))
		sum.p99 = fmt.Sprintf("%.2fms", float64(worst)/float64(time.Millisecond))
	}
	return sum
}

// luaString quotes s as a Lua long string, whose content is taken as is.
func luaString(s string) string {
	level := ""
	for strings.Contains(s, "]"+level+"]") {
		level += "="
	}
	return "[" + level + "[" + s + "]" + level + "]"
}

var (
	wrkRate    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPercent = regexp.MustCompile(`(?m)^\s+(50|99)%\s+(\S+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func parseWrk(out string) result {
	var r result
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return result{failed: "wrk: no rate"}
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPercent.FindAllStringSubmatch(out, -1) {
		if p[1] == "50" {
			r.p50 = p[2]
		} else {
			r.p99 = p[2]
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(m[1])
		r.failed = fmt.Sprintf("%d non-2xx", r.non2xx)
	}
	return r
}

// capture answers a query in this process, against the same database, to
// see which SQL statements lianes sends for it.
type capture struct {
	db      *bun.DB
	mu      sync.Mutex
	queries []string
}

func newCapture(url string) (*capture, error) {
	bdb, err := db.Open(context.Background(), url)
	if err != nil {
		return nil, err
	}
	c := &capture{db: bdb}
	bdb.AddQueryHook(c)
	return c, nil
}

// BeforeQuery implements bun.QueryHook.
func (c *capture) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (c *capture) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	query := e.Query
	// Parameters ($1…) written as the values bound to them, the last first
	// so that $1 does not eat into $12: pgbench runs the statement whole.
	args := db.ArgsOf(ctx)
	for i := len(args) - 1; i >= 0; i-- {
		query = strings.ReplaceAll(query, "$"+strconv.Itoa(i+1), fmt.Sprint(args[i]))
	}
	c.mu.Lock()
	c.queries = append(c.queries, query)
	c.mu.Unlock()
}

// statements returns the SQL statements lianes sends for a query.
func (c *capture) statements(query string, staff bool) []string {
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if staff {
		req = req.WithContext(access.WithRole(req.Context(), access.Staff))
	}
	c.mu.Lock()
	c.queries = nil
	c.mu.Unlock()
	// A handler of its own for each query: one asked again is answered from
	// the statement kept for it, which goes to the driver without bun, and
	// so without this hook.
	clk := clock.System{}
	handler := graph.NewHandler(&graph.Resolver{Services: domain.New(c.db, clk), Clock: clk},
		graph.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	handler.ServeHTTP(httptest.NewRecorder(), req)
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.queries)
}

// pgbenchRun runs the statement of a shape lianes answers with one, in
// its turn like the servers, so that it meets the same drift.
type pgbenchRun struct {
	database, file string
	connections    int
}

// newPgbench writes the statement for pgbench and warms it up as the
// servers are.
func newPgbench(database, statement string, connections int) (*pgbenchRun, result) {
	file, err := os.CreateTemp("", "suite-*.sql")
	if err != nil {
		fail(err)
	}
	// pgbench reads one statement per line unless it ends with a semicolon.
	file.WriteString(strings.ReplaceAll(statement, "\n", " ") + ";\n")
	file.Close()
	p := &pgbenchRun{database: database, file: file.Name(), connections: connections}
	if res := p.run(warmup); res.failed != "" {
		p.close()
		return nil, res
	}
	return p, result{}
}

func (p *pgbenchRun) run(d time.Duration) result {
	// Prepared, as lianes runs it.
	out, err := exec.Command("pgbench", "-n", "-M", "prepared", "-f", p.file, "-c", strconv.Itoa(p.connections), "-j", "2",
		"-T", strconv.Itoa(max(1, int(d.Seconds()))), p.database).CombinedOutput()
	if err != nil {
		return result{failed: "pgbench: " + strings.TrimSpace(lastLine(string(out)))}
	}
	m := pgbenchTPS.FindStringSubmatch(string(out))
	if m == nil {
		return result{failed: "pgbench: no tps"}
	}
	tps, _ := strconv.ParseFloat(m[1], 64)
	return result{rps: tps, statement: true}
}

func (p *pgbenchRun) close() { os.Remove(p.file) }

var pgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+)`)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// memory reports a process's resident memory now and at its peak
// (VmHWM), and what of it is its own.
func memory(pid string) string {
	raw, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		// RssFile counts the pages of files the process maps (SQLite reads
		// its database through a memory map): the kernel's cache, shared and
		// dropped at will, unlike RssAnon, the process's own memory.
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") || strings.HasPrefix(line, "RssAnon:") ||
			strings.HasPrefix(line, "RssFile:") {
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
	}
	return strings.Join(out, ", ")
}
