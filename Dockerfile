# claimwatch: slim image, non-root, migrations applied by `claimwatch run` at start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
RUN pip install . && useradd --create-home --uid 10001 claimwatch && mkdir -p /app/data \
    && chown claimwatch /app/data
COPY config ./config

USER claimwatch
ENTRYPOINT ["claimwatch"]
CMD ["run"]
