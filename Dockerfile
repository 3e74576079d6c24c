# The showcase site as a container image: the site is built from the records (make site, which
# checks every record first) and served by nginx with the settings of deploy/nginx/.
#   docker build -t meihao-jiayuan .
#   docker run --rm -p 8080:8080 meihao-jiayuan        # then http://localhost:8080/
# Podman and Buildah take the same file. See README, “部署”.

FROM debian:bookworm-slim AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates make python3 python3-venv nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make site

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        nginx-light libnginx-mod-http-brotli-filter \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/nginx/showcase-http.conf deploy/nginx/showcase-server.conf /etc/nginx/showcase/
COPY deploy/docker/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /src/site /srv/site
# www-data (uid 33 on Debian): nginx needs no root to listen on 8080.
USER 33:33
EXPOSE 8080
CMD ["nginx", "-e", "stderr", "-g", "daemon off;"]
