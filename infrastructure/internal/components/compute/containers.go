package compute

import (
	"encoding/json"
	"fmt"
	"sort"
)

// ContainerUser is the non-root UID:GID every container runs as.
const ContainerUser = "10001:10001"

// ContainerSpec is the part of a container definition that varies per service. Values are
// resolved (no Pulumi outputs) so the definition can be rendered and tested as plain JSON.
type ContainerSpec struct {
	Name  string
	Image string
	// Port is the container port (0: none).
	Port int
	// Environment holds non-secret settings only (names, endpoints, the region).
	Environment map[string]string
	// Secrets maps an environment variable to the ARN of the Secrets Manager secret injected
	// into it by ECS (valueFrom); secret values never appear in the task definition.
	Secrets  map[string]string
	LogGroup string
	Region   string
}

// ContainerDefinitions renders the task's container definitions: read-only root filesystem,
// non-root user, not privileged, every Linux capability dropped, init process, awslogs to the
// service's KMS-encrypted log group, and secrets only through valueFrom.
func ContainerDefinitions(s ContainerSpec) (string, error) {
	if s.Name == "" || s.Image == "" || s.LogGroup == "" || s.Region == "" {
		return "", fmt.Errorf("container %q: name, image, log group and region are required", s.Name)
	}
	type kv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	type secret struct {
		Name      string `json:"name"`
		ValueFrom string `json:"valueFrom"`
	}
	env := make([]kv, 0, len(s.Environment))
	for _, k := range sortedStrings(s.Environment) {
		if _, dup := s.Secrets[k]; dup {
			return "", fmt.Errorf("container %q: %s is both an environment variable and a secret", s.Name, k)
		}
		env = append(env, kv{k, s.Environment[k]})
	}
	secrets := make([]secret, 0, len(s.Secrets))
	for _, k := range sortedStrings(s.Secrets) {
		secrets = append(secrets, secret{k, s.Secrets[k]})
	}
	def := map[string]any{
		"name":                   s.Name,
		"image":                  s.Image,
		"essential":              true,
		"user":                   ContainerUser,
		"privileged":             false,
		"readonlyRootFilesystem": true,
		"linuxParameters": map[string]any{
			"initProcessEnabled": true,
			"capabilities":       map[string]any{"drop": []string{"ALL"}},
		},
		"environment": env,
		"secrets":     secrets,
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         s.LogGroup,
				"awslogs-region":        s.Region,
				"awslogs-stream-prefix": s.Name,
				"mode":                  "non-blocking",
				"max-buffer-size":       "25m",
			},
		},
		// A read-only root filesystem still needs a writable scratch space.
		"mountPoints": []map[string]any{{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}},
	}
	if s.Port > 0 {
		def["portMappings"] = []map[string]any{{"containerPort": s.Port, "protocol": "tcp"}}
	}
	b, err := json.Marshal([]any{def})
	if err != nil {
		return "", fmt.Errorf("container %q: %w", s.Name, err)
	}
	return string(b), nil
}

func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
