package api_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestServeFinishesRequestInFlight cancels Serve's context while a request is
// still uploading its body: the listener closes, the request completes and is
// stored, and only then does Serve return.
func TestServeFinishesRequestInFlight(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- f.srv.Serve(ctx, "127.0.0.1:0", time.Minute, func(a net.Addr) { addrc <- a.String() })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	}

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// With Expect: 100-continue the server answers "100 Continue" once the
	// handler starts reading the body: from then on the request is in flight.
	fmt.Fprintf(conn, "POST /api/v1/surveys/%s HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", token, len(validBody))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue, got %v, %v", resp, err)
	}

	cancel()
	// Shutdown closes the listener first; wait for that.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	default:
	}

	if _, err := io.WriteString(conn, validBody); err != nil {
		t.Fatal(err)
	}
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("read response after shutdown began: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight submission: status %d %s, want 201", resp.StatusCode, body)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve after graceful shutdown: %v, want nil", err)
	}
	if got := f.storedResponses(); got != 1 {
		t.Errorf("stored responses = %d, want 1", got)
	}
}

func TestServeReportsListenError(t *testing.T) {
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	called := false
	err = f.srv.Serve(t.Context(), ln.Addr().String(), time.Second, func(net.Addr) { called = true })
	if err == nil {
		t.Fatal("Serve on an address in use returned nil")
	}
	if called {
		t.Error("ready was called although Serve could not listen")
	}
}
