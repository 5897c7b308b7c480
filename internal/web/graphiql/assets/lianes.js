// Starts GraphiQL on the service's own endpoint. It lives in its own file
// because the page's Content-Security-Policy allows no inline script.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).toString() });
  var example = [
    "# Bienvenue dans l'API GraphQL de Lianes coopération.",
    "# Ctrl-Entrée lance la requête ;",
    "# le schéma est documenté dans le panneau de gauche.",
    "{",
    "  upcomingEvents(first: 5) {",
    "    nodes { title date { text } }",
    "  }",
    "}",
    ""
  ].join("\n");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: example }));
})();
