package httpkit

import (
	"slices"

	"github.com/labstack/echo/v4"
)

// Routes registers routes under a prefix with middleware that runs for
// those routes only. Unlike echo.Group.Use it adds no catch-all route, so a
// wrong method on a known path still answers 405 and an unknown path stays
// unknown.
type Routes struct {
	g  *echo.Group
	mw []echo.MiddlewareFunc
}

// NewRoutes starts a route group on e.
func NewRoutes(e *echo.Echo, prefix string, mw ...echo.MiddlewareFunc) *Routes {
	return &Routes{g: e.Group(prefix), mw: mw}
}

// Group is a sub-group with more middleware, run after this group's.
func (r *Routes) Group(prefix string, mw ...echo.MiddlewareFunc) *Routes {
	return &Routes{g: r.g.Group(prefix), mw: append(slices.Clone(r.mw), mw...)}
}

func (r *Routes) with(mw []echo.MiddlewareFunc) []echo.MiddlewareFunc {
	return append(slices.Clone(r.mw), mw...)
}

// GET registers a GET route; mw runs after the group's middleware.
func (r *Routes) GET(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) *echo.Route {
	return r.g.GET(path, h, r.with(mw)...)
}

// POST registers a POST route.
func (r *Routes) POST(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) *echo.Route {
	return r.g.POST(path, h, r.with(mw)...)
}

// PATCH registers a PATCH route.
func (r *Routes) PATCH(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) *echo.Route {
	return r.g.PATCH(path, h, r.with(mw)...)
}

// DELETE registers a DELETE route.
func (r *Routes) DELETE(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) *echo.Route {
	return r.g.DELETE(path, h, r.with(mw)...)
}
