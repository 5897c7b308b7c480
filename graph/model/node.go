// Package model holds the GraphQL inputs and payloads that gqlgen generates,
// and the few types the schema needs beside the domain's own.
package model

// Node is any record with a global id. It is an empty interface because the
// records are the domain's own types, which know nothing of GraphQL.
type Node interface{}
