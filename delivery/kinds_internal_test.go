package delivery

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The metrics report jobs by kind from JobKinds and the email queue's age
// from EmailKinds. A job kind added without them would be missing from
// both, so the lists are held here to every worker New registers and every
// job args type the package declares.
func TestJobKindListsNameEveryWorker(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	kinds := map[string]string{} // args type -> kind
	var registered []string      // worker types passed to river.AddWorker
	workerArgs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				// func (XArgs) Kind() string { return "x" }
				if n.Recv == nil || n.Name.Name != "Kind" || len(n.Body.List) != 1 {
					return true
				}
				ret, ok := n.Body.List[0].(*ast.ReturnStmt)
				if !ok || len(ret.Results) != 1 {
					return true
				}
				lit, ok := ret.Results[0].(*ast.BasicLit)
				id, isIdent := n.Recv.List[0].Type.(*ast.Ident)
				if ok && isIdent {
					kinds[id.Name], _ = strconv.Unquote(lit.Value)
				}
			case *ast.TypeSpec:
				// type xWorker struct { river.WorkerDefaults[XArgs]; … }
				st, ok := n.Type.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fl := range st.Fields.List {
					if ix, ok := fl.Type.(*ast.IndexExpr); ok {
						if sel, ok := ix.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "WorkerDefaults" {
							if arg, ok := ix.Index.(*ast.Ident); ok {
								workerArgs[n.Name.Name] = arg.Name
							}
						}
					}
				}
			case *ast.CallExpr:
				// river.AddWorker(workers, &xWorker{…})
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "AddWorker" || len(n.Args) != 2 {
					return true
				}
				if u, ok := n.Args[1].(*ast.UnaryExpr); ok {
					if cl, ok := u.X.(*ast.CompositeLit); ok {
						if id, ok := cl.Type.(*ast.Ident); ok {
							registered = append(registered, id.Name)
						}
					}
				}
			}
			return true
		})
	}
	if len(registered) < 9 || len(kinds) < 9 {
		t.Fatalf("found %d registered workers and %d kinds; the source scan is broken", len(registered), len(kinds))
	}
	var want, wantEmail []string
	for _, w := range registered {
		args, ok := workerArgs[w]
		if !ok {
			t.Fatalf("worker %s embeds no river.WorkerDefaults", w)
		}
		kind, ok := kinds[args]
		if !ok {
			t.Fatalf("%s has no Kind", args)
		}
		want = append(want, kind)
		if strings.HasPrefix(args, "Send") {
			wantEmail = append(wantEmail, kind)
		}
	}
	for args, kind := range kinds {
		if !slices.Contains(want, kind) {
			t.Errorf("%s (%s) declares a job kind no worker is registered for", args, kind)
		}
	}
	got, gotEmail := JobKinds(), EmailKinds()
	slices.Sort(want)
	slices.Sort(wantEmail)
	slices.Sort(got)
	slices.Sort(gotEmail)
	if !slices.Equal(got, want) {
		t.Errorf("JobKinds() = %v, want the registered workers' kinds %v", got, want)
	}
	if !slices.Equal(gotEmail, wantEmail) {
		t.Errorf("EmailKinds() = %v, want the Send… workers' kinds %v", gotEmail, wantEmail)
	}
}
