# The project image that deploy/values.yaml runs (user code, run pods, daemon): the locked environment with
# the `deploy` group (dagster-postgres, dagster-k8s) and without the dev tools, the code and SQL, a non-root user.
#   docker build -t registry.example.internal/papers-pipeline:0.1.0 .
FROM python:3.11-slim-bookworm

ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH \
    DAGSTER_HOME=/opt/dagster/dagster_home
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /opt/papers
# dependencies first (a layer that changes only with the lock file)
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --compile-bytecode --no-default-groups --group deploy --no-install-project
COPY assets ./assets
COPY workflows ./workflows
COPY tools ./tools
COPY sql ./sql
RUN uv sync --frozen --compile-bytecode --no-default-groups --group deploy

RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin papers \
    && mkdir -p "$DAGSTER_HOME" && chown papers "$DAGSTER_HOME"
USER 10001

EXPOSE 3030
CMD ["dagster", "api", "grpc", "--module-name", "workflows.definitions", "--host", "0.0.0.0", "--port", "3030"]
