// The server's state as the status-bar item shows it; no VS Code dependency.
export type ServerStateKind = 'starting' | 'installing' | 'ready' | 'error' | 'stopped';

export interface ServerState {
    kind: ServerStateKind;
    /** One sentence for the tooltip: the interpreter, the version, or what went wrong. */
    detail: string;
}

export interface StatusPresentation {
    text: string;
    /** What screen readers (and the end-to-end tests) read. */
    label: string;
    tooltip: string;
    isError: boolean;
}

const icons: Record<ServerStateKind, string> = {
    starting: '$(loading~spin)',
    installing: '$(loading~spin)',
    ready: '$(check)',
    error: '$(error)',
    stopped: '$(circle-slash)',
};

const words: Record<ServerStateKind, string> = {
    starting: 'starting',
    installing: 'installing',
    ready: 'ready',
    error: 'error',
    stopped: 'stopped',
};

export function statusPresentation(state: ServerState): StatusPresentation {
    const word = words[state.kind];
    const suffix = state.kind === 'installing' ? ': installing' : '';
    return {
        text: `${icons[state.kind]} Paribus${suffix}`,
        label: `Paribus server: ${word}`,
        tooltip: `Paribus server: ${word}. ${state.detail}\nClick to show the Paribus output.`,
        isError: state.kind === 'error',
    };
}
