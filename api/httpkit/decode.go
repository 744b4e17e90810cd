package httpkit

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// readJSONBody checks the content type and reads at most limit bytes.
func ReadJSONBody(c echo.Context, limit int64) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != echo.MIMEApplicationJSON {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as JSON with Content-Type: application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is too large")
	}
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the request body could not be read")
	}
	return body, nil
}

// bindJSON strictly decodes a JSON body (unknown fields rejected) into v and
// validates it.
func BindJSON(c echo.Context, v any, limit int64) error {
	body, err := ReadJSONBody(c, limit)
	if err != nil {
		return err
	}
	if err := surveys.DecodeJSON(body, v); err != nil {
		return err
	}
	return c.Validate(v)
}

func NoStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}
