// The workflow page's HTML hardening and the messages its script may send; no VS Code dependency.
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
    return randomBytes(16).toString('hex');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
    return [
        "default-src 'none'",
        `style-src 'unsafe-inline' ${cspSource}`,
        `img-src data: ${cspSource}`,
        `script-src 'nonce-${nonce}'`,
    ].join('; ') + ';';
}

const cspMetaPattern = /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;
const headOpenPattern = /<head\b[^>]*>/i;

/** Drops every CSP the page brings and puts ours first in <head>, so nothing can loosen it. */
export function withContentSecurityPolicy(html: string, policy: string): string {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
    const stripped = html.replace(cspMetaPattern, '');
    const head = headOpenPattern.exec(stripped);
    if (head === null) {
        return meta + stripped;
    }
    const insertAt = head.index + head[0].length;
    return stripped.slice(0, insertAt) + meta + stripped.slice(insertAt);
}

/** Inserts a script element just before the last </body> (or at the end). */
export function withScript(html: string, script: string, nonce: string): string {
    const element = `<script nonce="${nonce}">${script}</script>`;
    const bodyClose = html.toLowerCase().lastIndexOf('</body>');
    if (bodyClose === -1) {
        return html + element;
    }
    return html.slice(0, bodyClose) + element + html.slice(bodyClose);
}

export function prepareWorkflowHtml(serverHtml: string, cspSource: string, nonce: string): string {
    const secured = withContentSecurityPolicy(serverHtml, contentSecurityPolicy(cspSource, nonce));
    return withScript(secured, clickForwardingScript, nonce);
}

/** A page shown while the server is asked or when it cannot answer. */
export function messagePage(cspSource: string, title: string, detail: string): string {
    const policy = contentSecurityPolicy(cspSource, makeNonce());
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy}">`
        + '<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:1em 2em}'
        + 'p{color:var(--vscode-descriptionForeground)}</style></head>'
        + `<body><h2>${escapeHtml(title)}</h2><p>${escapeHtml(detail)}</p></body></html>`;
}

export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Runs inside the webview: forwards clicks on `data-paribus-open` / `data-paribus-command`
 * elements, makes them keyboard-reachable, and shows a refresh bar when the extension says
 * the project changed on disk.
 */
export const clickForwardingScript = `(function () {
  const vscode = acquireVsCodeApi();
  const actionable = '[data-paribus-open],[data-paribus-command]';
  function forward(element) {
    const openPath = element.getAttribute('data-paribus-open');
    if (openPath !== null) {
      vscode.postMessage({ type: 'open', path: openPath, line: element.getAttribute('data-paribus-line') });
    } else {
      vscode.postMessage({ type: 'command', command: element.getAttribute('data-paribus-command'), args: element.getAttribute('data-paribus-args') });
    }
  }
  function actionableFrom(target) {
    return target instanceof Element ? target.closest(actionable) : null;
  }
  document.addEventListener('click', function (event) {
    const element = actionableFrom(event.target);
    if (element) { event.preventDefault(); forward(element); }
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' && event.key !== ' ') { return; }
    const element = actionableFrom(event.target);
    if (element && !(element instanceof HTMLButtonElement) && !(element instanceof HTMLAnchorElement)) {
      event.preventDefault(); forward(element);
    }
  });
  for (const element of document.querySelectorAll(actionable)) {
    element.style.cursor = 'pointer';
    if (!(element instanceof HTMLButtonElement) && !(element instanceof HTMLAnchorElement) && !element.hasAttribute('tabindex')) {
      element.setAttribute('tabindex', '0');
      if (!element.hasAttribute('role')) { element.setAttribute('role', element.hasAttribute('data-paribus-open') ? 'link' : 'button'); }
    }
  }
  function showStaleBar() {
    if (document.getElementById('paribus-stale-bar')) { return; }
    const bar = document.createElement('div');
    bar.id = 'paribus-stale-bar';
    bar.setAttribute('role', 'status');
    Object.assign(bar.style, { position: 'sticky', top: '0', zIndex: '10', display: 'flex', gap: '1em', alignItems: 'center',
      padding: '0.4em 1em', background: 'var(--vscode-editorWidget-background)', color: 'var(--vscode-editorWidget-foreground)',
      borderBottom: '1px solid var(--vscode-editorWidget-border, transparent)' });
    const text = document.createElement('span');
    text.textContent = 'Project files changed since this view was made.';
    const button = document.createElement('button');
    button.textContent = 'Refresh';
    Object.assign(button.style, { background: 'var(--vscode-button-background)', color: 'var(--vscode-button-foreground)',
      border: 'none', padding: '0.25em 0.8em', cursor: 'pointer' });
    button.addEventListener('click', function () { vscode.postMessage({ type: 'refresh' }); });
    bar.append(text, button);
    document.body.prepend(bar);
  }
  window.addEventListener('message', function (event) {
    if (event.data && event.data.type === 'stale') { showStaleBar(); }
  });
})();`;

export type WorkflowMessage =
    | { kind: 'open'; path: string; line: number | undefined }
    | { kind: 'command'; command: string; args: unknown[] }
    | { kind: 'refresh' };

export const allowedCommandPrefix = 'paribus.';

/** Validates a message from the webview; anything unexpected is refused (undefined). */
export function parseWorkflowMessage(message: unknown): WorkflowMessage | undefined {
    if (typeof message !== 'object' || message === null) {
        return undefined;
    }
    const fields = message as Record<string, unknown>;
    switch (fields.type) {
        case 'refresh':
            return { kind: 'refresh' };
        case 'open': {
            if (typeof fields.path !== 'string' || fields.path.trim() === '') {
                return undefined;
            }
            const line = typeof fields.line === 'string' ? Number.parseInt(fields.line, 10) : Number.NaN;
            return { kind: 'open', path: fields.path, line: Number.isInteger(line) && line >= 1 ? line : undefined };
        }
        case 'command': {
            if (typeof fields.command !== 'string' || !fields.command.startsWith(allowedCommandPrefix)) {
                return undefined;
            }
            const args = parseArguments(fields.args);
            return args === undefined ? undefined : { kind: 'command', command: fields.command, args };
        }
        default:
            return undefined;
    }
}

function parseArguments(raw: unknown): unknown[] | undefined {
    if (raw === null || raw === undefined || raw === '') {
        return [];
    }
    if (typeof raw !== 'string') {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}
