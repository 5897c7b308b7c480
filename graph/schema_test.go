package graph_test

import (
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/stretchr/testify/require"
	"strings"
	"testing"
)

type typeRef struct {
	Kind   string   `json:"kind"`
	Name   string   `json:"name"`
	OfType *typeRef `json:"ofType"`
}

// named returns the named type under non-null and list wrappers, and the
// wrappers as a string ("NN L NN").
func (t *typeRef) named() (string, string) {
	var wrappers []string
	for t != nil && t.Name == "" {
		wrappers = append(wrappers, t.Kind)
		t = t.OfType
	}
	if t == nil {
		return "", strings.Join(wrappers, " ")
	}
	return t.Name, strings.Join(wrappers, " ")
}

type schemaField struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Type        typeRef `json:"type"`
	Args        []struct {
		Name string  `json:"name"`
		Type typeRef `json:"type"`
	} `json:"args"`
}

type schemaType struct {
	Kind        string        `json:"kind"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Fields      []schemaField `json:"fields"`
	Interfaces  []typeRef     `json:"interfaces"`
	EnumValues  []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"enumValues"`
	InputFields []schemaField `json:"inputFields"`
}

// TestSchemaFollowsRelayAndIsDocumentedInFrench reads the schema as a client
// library does, by introspection, and checks the Relay conventions.
func TestSchemaFollowsRelayAndIsDocumentedInFrench(t *testing.T) {
	a := newAPI(t, dbtest.Open(t, "sqlite"))
	var out struct {
		Schema struct {
			QueryType struct{ Name string } `json:"queryType"`
			Types     []schemaType          `json:"types"`
		} `json:"__schema"`
	}
	a.data(`{ __schema { queryType { name } types { kind name description
		fields { name description type { ...T } args { name type { ...T } } }
		inputFields { name description type { ...T } }
		interfaces { name kind } enumValues { name description } } } }
		fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`, nil, &out)

	types := map[string]schemaType{}
	for _, ty := range out.Schema.Types {
		types[ty.Name] = ty
	}
	field := func(ty schemaType, name string) *schemaField {
		for i := range ty.Fields {
			if ty.Fields[i].Name == name {
				return &ty.Fields[i]
			}
		}
		return nil
	}

	// The Node interface and its root fields.
	node := types["Node"]
	require.Equal(t, "INTERFACE", node.Kind)
	id := field(node, "id")
	require.NotNil(t, id)
	name, wrap := id.Type.named()
	require.Equal(t, "ID", name)
	require.Equal(t, "NON_NULL", wrap)
	query := types[out.Schema.QueryType.Name]
	require.NotNil(t, field(query, "node"))
	require.NotNil(t, field(query, "nodes"))

	// PageInfo as the Relay specification has it.
	pageInfo := types["PageInfo"]
	for f, want := range map[string]string{"hasNextPage": "Boolean", "hasPreviousPage": "Boolean", "startCursor": "String", "endCursor": "String"} {
		got := field(pageInfo, f)
		require.NotNil(t, got, f)
		n, _ := got.Type.named()
		require.Equal(t, want, n, f)
	}

	connections := 0
	for _, ty := range out.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") {
			continue
		}
		require.NotEmpty(t, ty.Description, "type %s has no description", ty.Name)
		for _, f := range append(ty.Fields, ty.InputFields...) {
			require.NotEmpty(t, f.Description, "field %s.%s has no description", ty.Name, f.Name)
		}
		for _, v := range ty.EnumValues {
			require.NotEmpty(t, v.Description, "enum value %s.%s has no description", ty.Name, v.Name)
		}
		if ty.Kind == "OBJECT" && strings.HasSuffix(ty.Name, "Connection") {
			connections++
			edges := field(ty, "edges")
			require.NotNil(t, edges, ty.Name)
			edgeName, wrap := edges.Type.named()
			require.Equal(t, "NON_NULL LIST NON_NULL", wrap, ty.Name)
			edge := types[edgeName]
			cursor := field(edge, "cursor")
			require.NotNil(t, cursor, edgeName)
			n, w := cursor.Type.named()
			require.Equal(t, "String", n)
			require.Equal(t, "NON_NULL", w)
			require.NotNil(t, field(edge, "node"), edgeName)
			pi := field(ty, "pageInfo")
			require.NotNil(t, pi, ty.Name)
			n, w = pi.Type.named()
			require.Equal(t, "PageInfo", n)
			require.Equal(t, "NON_NULL", w)
			require.NotNil(t, field(ty, "totalCount"), ty.Name)
		}
		// Every field returning a connection takes the four paging arguments.
		for _, f := range ty.Fields {
			if n, _ := f.Type.named(); strings.HasSuffix(n, "Connection") {
				args := map[string]string{}
				for _, a := range f.Args {
					args[a.Name], _ = a.Type.named()
				}
				require.Equal(t, "Int", args["first"], "%s.%s", ty.Name, f.Name)
				require.Equal(t, "Int", args["last"], "%s.%s", ty.Name, f.Name)
				require.Equal(t, "String", args["after"], "%s.%s", ty.Name, f.Name)
				require.Equal(t, "String", args["before"], "%s.%s", ty.Name, f.Name)
			}
		}
	}
	require.GreaterOrEqual(t, connections, 10)
}
