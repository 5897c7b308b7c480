package main

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// healthcheckCommand asks a running service for /healthz: the container's
// HEALTHCHECK, on an image that has no curl.
func (a *app) healthcheckCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Interroge /healthz du service local ; code de sortie 0 s'il répond « ok »",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return fmt.Errorf("--addr « %s » : %w", addr, err)
			}
			if host == "" || host == "0.0.0.0" || host == "::" {
				host = "127.0.0.1" // listening everywhere: ask over loopback
			}
			client := &http.Client{Timeout: 3 * time.Second}
			req, err := http.NewRequestWithContext(cmd.Context(), http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
			if err != nil {
				return err
			}
			resp, err := client.Do(req)
			if err != nil {
				return fmt.Errorf("service injoignable : %w", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("service en mauvaise santé : statut %d", resp.StatusCode)
			}
			fmt.Fprintln(a.stdout, "ok")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", envOr("LIANES_ADDR", "127.0.0.1:8080"), "adresse du service (LIANES_ADDR)")
	return cmd
}
