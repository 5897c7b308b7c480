package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/chatlink"
)

// decideChatLink validates or refuses a link named by its global id.
func (r *mutationResolver) decideChatLink(ctx context.Context, id string, decide func(context.Context, int64) (*chatlink.Link, error)) (chatlink.Link, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return chatlink.Link{}, err // who may decide is said before what is wrong
	}
	n, err := parseIDOf(typeChatLink, id)
	if err != nil {
		return chatlink.Link{}, inputError(ctx, "id", err)
	}
	l, err := decide(ctx, n)
	switch {
	case errors.Is(err, chatlink.ErrNotFound):
		return chatlink.Link{}, notFoundError(ctx, "id", fmt.Sprintf("lien « %s » introuvable", id))
	case errors.Is(err, chatlink.ErrDecided):
		return chatlink.Link{}, &gqlerror.Error{Message: fmt.Sprintf("le lien « %s » a déjà été validé ou refusé", id),
			Path: graphql.GetPath(ctx), Extensions: map[string]any{"code": CodeConflict, "field": "id"}}
	case err != nil:
		return chatlink.Link{}, err
	}
	return *l, nil
}
