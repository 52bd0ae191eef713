"""The files of `config/`: the watchlist and the sources list, and OPML subscription lists."""
