// Package dbtest runs a test on every database the service supports: an
// SQLite file always, and PostgreSQL when LIANES_TEST_POSTGRES_URL names a
// server. Each case gets a fresh, migrated database of its own, so test
// packages can run in parallel.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// PostgresEnv names the administration URL of the PostgreSQL test server,
// e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const PostgresEnv = "LIANES_TEST_POSTGRES_URL"

// Kinds lists the databases the tests run on here: "sqlite", and
// "postgres" when the test server is configured.
func Kinds() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn once per database, each time on a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			fn(t, Open(t, kind))
		})
	}
}

// Open returns a fresh, migrated database of the given kind, dropped when the
// test ends. Without a PostgreSQL test server the postgres case is skipped;
// with one configured that does not answer, the test fails.
func Open(t testing.TB, kind string) *bun.DB {
	t.Helper()
	bdb := open(t, URL(t, kind))
	_, err := db.Migrate(context.Background(), bdb)
	require.NoError(t, err)
	return bdb
}

// URL returns the URL of a fresh empty database of the given kind.
func URL(t testing.TB, kind string) string {
	t.Helper()
	if kind == "sqlite" {
		// A test's temporary directory is named after the test, and a
		// subtest named twice is "sqlite#01": in a URL, "#" would end the
		// path, and two tests would share one file.
		dir, err := os.MkdirTemp("", "lianes-test-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		return "sqlite:" + filepath.Join(dir, "test.db")
	}
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		t.Skipf("PostgreSQL non configuré : définir %s pour lancer ce cas", PostgresEnv)
	}
	ctx := context.Background()
	adminDB, err := db.Open(ctx, admin)
	require.NoError(t, err, "%s est défini mais PostgreSQL ne répond pas", PostgresEnv)
	defer adminDB.Close()

	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "lianes_test_" + hex.EncodeToString(suffix)
	_, err = adminDB.ExecContext(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		drop, err := db.Open(context.Background(), admin)
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer drop.Close()
		if _, err := drop.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

func open(t testing.TB, rawURL string) *bun.DB {
	t.Helper()
	bdb, err := db.Open(context.Background(), rawURL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bdb.Close() })
	return bdb
}
