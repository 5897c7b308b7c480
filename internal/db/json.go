package db

import (
	"strings"

	"github.com/uptrace/bun"
)

// The JSON functions of the two databases differ in name and in one habit:
// SQLite forgets that a value is JSON once it leaves a subquery, so a nested
// document must be marked again with json(), or it would be written as a
// string. These helpers write the same document on both.

// JSONObject returns the SQL of a JSON object from key and value
// expressions, in order (keys are SQL expressions too, usually literals).
func JSONObject(idb bun.IDB, pairs []string) string {
	fn := "json_object("
	if IsPostgres(idb) {
		fn = "json_build_object("
	}
	return fn + strings.Join(pairs, ", ") + ")"
}

// JSONArray returns the SQL of a JSON array of the given values, in order.
func JSONArray(idb bun.IDB, values []string) string {
	fn := "json_array("
	if IsPostgres(idb) {
		fn = "json_build_array("
	}
	return fn + strings.Join(values, ", ") + ")"
}

// JSONArrayAgg returns the SQL of an aggregate that gathers value over the
// rows into a JSON array, an empty array for no row.
func JSONArrayAgg(idb bun.IDB, value string) string {
	if IsPostgres(idb) {
		return "COALESCE(json_agg(" + value + "), '[]'::json)"
	}
	return "json_group_array(" + value + ")"
}

// JSONSubquery returns a scalar subquery whose one value is a JSON document,
// usable inside another document.
func JSONSubquery(idb bun.IDB, query string) string {
	if IsPostgres(idb) {
		return "(" + query + ")"
	}
	return "json((" + query + "))"
}

// JSONBool returns a JSON boolean that is true where the SQL condition holds.
func JSONBool(idb bun.IDB, cond string) string {
	if IsPostgres(idb) {
		return "to_json(" + cond + ")"
	}
	return "json(CASE WHEN " + cond + " THEN 'true' ELSE 'false' END)"
}

// InstantText returns the SQL of a stored instant written as the API's
// DateTime writes it: RFC 3339 in UTC, with as many decimals as it has.
// PostgreSQL keeps a timestamptz (to the microsecond), whose text in UTC
// under the ISO DateStyle (pinned on each connection, see openPostgres) has
// the decimals without their trailing zeros: a space turned into a T and a
// Z after it, it is the scalar's text, a quarter cheaper than to_char's
// (bench/shapes/16's statement: 2 100 to 2 600 runs a second under pgbench).
// SQLite keeps the text bun writes, always in UTC ("2006-01-02
// 15:04:05.999999+00:00", the decimals already without their trailing
// zeros). strftime reads the date and time of any offset SQLite knows, but
// only milliseconds: the decimals come from the text, between its dot and
// its offset.
func InstantText(idb bun.IDB, expr string) string {
	if IsPostgres(idb) {
		return "replace((" + expr + " AT TIME ZONE 'UTC')::text, ' ', 'T') || 'Z'"
	}
	return "strftime('%Y-%m-%dT%H:%M:%S', " + expr + ") || CASE WHEN substr(" + expr + ", 20, 1) = '.' THEN '.' || rtrim(substr(" +
		expr + ", 21, length(" + expr + ") - 26), '0') ELSE '' END || 'Z'"
}

// Literal returns a string as an SQL string literal.
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Base64URL returns the SQL of a text encoded in unpadded URL-safe base64,
// as Go's base64.RawURLEncoding does. PostgreSQL has base64 but wraps lines
// and pads; SQLite has none, so the function is registered on its driver.
func Base64URL(idb bun.IDB, text string) string {
	if IsPostgres(idb) {
		return "rtrim(translate(encode(convert_to(" + text + ", 'UTF8'), 'base64'), '+/' || chr(10), '-_'), '=')"
	}
	return sqliteBase64URL + "(" + text + ")"
}

// Least returns the SQL of the smaller of two values.
func Least(idb bun.IDB, a, b string) string {
	if IsPostgres(idb) {
		return "LEAST(" + a + ", " + b + ")"
	}
	return "min(" + a + ", " + b + ")"
}

// Greatest returns the SQL of the larger of two values.
func Greatest(idb bun.IDB, a, b string) string {
	if IsPostgres(idb) {
		return "GREATEST(" + a + ", " + b + ")"
	}
	return "max(" + a + ", " + b + ")"
}
