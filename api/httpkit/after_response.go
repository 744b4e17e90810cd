package httpkit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// maxAfterResponse bounds the work waiting after responses; more is dropped
// (and logged) rather than queued without end.
const maxAfterResponse = 64

// afterResponseTimeout bounds one piece of work after its response.
const afterResponseTimeout = time.Minute

// afterResponse is work that handlers start once their answer is written,
// so that neither the answer nor its timing can depend on it.
type afterResponse struct {
	wg    sync.WaitGroup
	slots chan struct{}
}

func newAfterResponse() *afterResponse {
	return &afterResponse{slots: make(chan struct{}, maxAfterResponse)}
}

// AfterResponse runs fn in the background once the handler has written its
// response: call it after writing. fn gets the request's values but not its
// cancellation, and at most a minute. An error or a panic is logged with
// what and the request id, never with fn's inputs; so that this stays true,
// fn's errors must not carry what a person typed.
func (s *Kit) AfterResponse(c echo.Context, what string, fn func(ctx context.Context) error) {
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	select {
	case s.after.slots <- struct{}{}:
	default:
		s.Log.Warn("too much work waiting after responses: dropped", "work", what, "request_id", reqID)
		return
	}
	ctx := context.WithoutCancel(c.Request().Context())
	s.after.wg.Go(func() {
		defer func() { <-s.after.slots }()
		defer func() {
			if r := recover(); r != nil {
				s.Log.Error(what+" failed", "err", fmt.Sprint(r), "request_id", reqID)
			}
		}()
		ctx, cancel := context.WithTimeout(ctx, afterResponseTimeout)
		defer cancel()
		if err := fn(ctx); err != nil {
			s.Log.Error(what+" failed", "err", err, "request_id", reqID)
		}
	})
}

// WaitAfterResponse waits until the work started by AfterResponse is done,
// or ctx ends. A graceful shutdown calls it once no request is in flight;
// tests call it before they look at what the work did.
func (s *Kit) WaitAfterResponse(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.after.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("work after responses: %w", ctx.Err())
	}
}
