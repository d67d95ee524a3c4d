"""The static HTML audit report (`daihoi report DIR`): pages that open offline, charts drawn
as inline SVG, no script and nothing fetched from the network."""
