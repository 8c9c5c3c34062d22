/**
 * The standalone app's entry. The service serves it at `<base>/ui/`, so the API's base is
 * the page's parent folder: the origin, or the path prefix a proxy serves the service under.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import "../styles.css";
import { App } from "./App";

// The service writes a fresh nonce into this tag for each answer (service/api/ui); Vite's dev
// server leaves the placeholder, which is no nonce.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="wfv-csp-nonce"]')?.content;
const cspNonce = nonce && nonce !== "__WFV_CSP_NONCE__" ? nonce : undefined;

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App baseUrl={new URL("..", window.location.href).href.replace(/\/$/, "")} {...(cspNonce ? { cspNonce } : {})} />
  </StrictMode>,
);
