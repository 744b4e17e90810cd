# Build a static binary (no cgo: the SQLite driver is pure Go), run it as an
# unprivileged user on a distroless base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/mentorpulse ./cmd/mentorpulse

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mentorpulse /mentorpulse
ENV MENTORPULSE_ADDR=:8080 \
    MENTORPULSE_DATABASE_URL=sqlite:/data/mentorpulse.db
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/mentorpulse"]
CMD ["serve"]
