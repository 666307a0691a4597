// The trace viewer's HTML document. The panel (traceViewerPanel.ts) writes it
// and the browser tests' stub host (test/support/viewerStubHost.ts) serves it,
// so the stub runs the viewer under the same CSP and markup as VS Code does.

export interface ViewerDocumentOptions {
  /** Where the assets come from: VS Code's `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** The URL of a file in dist/webview/. */
  asset(name: string): string;
  /** The stub host's: the class VS Code puts on the body, markup before the viewer's script. */
  bodyClass?: string;
  preamble?: string;
}

export function viewerDocument(o: ViewerDocumentOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${o.asset('traceViewerStyle.css')}">
<title>Renacer Trace</title>
</head>
<body${o.bodyClass ? ` class="${o.bodyClass}"` : ''}>
<div id="app"></div>
${o.preamble ? `${o.preamble}\n` : ''}<script nonce="${o.nonce}" src="${o.asset('traceViewer.js')}"></script>
</body>
</html>`;
}
