// Command oracle decodes each case of a JSON-lines file with Go's own
// encoding/json into structs shaped like the fields Docker reads (an image
// config's runtime config, a docker save manifest.json entry, an OCI
// manifest) and prints what Go made of it, one JSON line per case.
//
// Run by gokeys-oracle.sh; its output is tests/data/golden/gokeys/go.jsonl.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

type runtimeConfig struct {
	User       string            `json:"User"`
	Cmd        []string          `json:"Cmd"`
	Entrypoint []string          `json:"Entrypoint"`
	WorkingDir string            `json:"WorkingDir"`
	Env        []string          `json:"Env"`
	Labels     map[string]string `json:"Labels"`
}

type imageConfig struct {
	Architecture string        `json:"architecture"`
	OS           string        `json:"os"`
	Config       runtimeConfig `json:"config"`
}

type manifestItem struct {
	Config   string
	RepoTags []string
	Layers   []string
}

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

type manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
}

type testCase struct {
	Name string          `json:"name"`
	Kind string          `json:"kind"`
	Doc  json.RawMessage `json:"doc"`
}

func decode(kind string, doc []byte) (interface{}, error) {
	switch kind {
	case "config":
		var v imageConfig
		err := json.Unmarshal(doc, &v)
		return v, err
	case "manifest.json":
		var v []manifestItem
		err := json.Unmarshal(doc, &v)
		return v, err
	case "manifest":
		var v manifest
		err := json.Unmarshal(doc, &v)
		return v, err
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for scanner.Scan() {
		var c testCase
		if err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		value, err := decode(c.Kind, c.Doc)
		line := map[string]interface{}{"name": c.Name, "go": value}
		if err != nil {
			line["error"] = err.Error()
		}
		if err := out.Encode(line); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
