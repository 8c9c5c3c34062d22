/** The standalone app's entry: the API is on the page's own origin. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import "../styles.css";
import { App } from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App baseUrl={window.location.origin} />
  </StrictMode>,
);
