# The SQLite database lives in /data: a named volume there (`docker run -v NAME:/data`) keeps
# it, and Docker fills a new volume from this directory, so the bot can write to it. The bot
# runs in /data, so a relative DATABASE_URL (as in .env.example) lands there too.
ENV DATABASE_URL=sqlite:////data/{{ package_name }}.db
VOLUME /data
WORKDIR /data
