# lianes in a container: a static binary on a minimal base, as a non-root
# user. modernc.org/sqlite is pure Go, so no C compiler and no libc are
# needed (CGO_ENABLED=0). See docs/operate.md.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/lianes ./cmd/lianes \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lianes /usr/local/bin/lianes
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV LIANES_ADDR=0.0.0.0:8080 \
    LIANES_DATABASE_URL=sqlite:/data/lianes.db \
    LIANES_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/lianes", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/lianes"]
CMD ["serve"]
