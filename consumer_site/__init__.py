"""consumer_site."""
