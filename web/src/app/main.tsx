/**
 * The standalone app's entry. The service serves it at `<base>/ui/`, so the API's base is
 * the page's parent folder: the origin, or the path prefix a proxy serves the service under.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import "../styles.css";
import { App } from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App baseUrl={new URL("..", window.location.href).href.replace(/\/$/, "")} />
  </StrictMode>,
);
