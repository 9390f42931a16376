// A status-bar item with the server's state (starting, installing, ready, error) that opens the output.
import { Disposable, StatusBarAlignment, StatusBarItem, ThemeColor, window } from 'vscode';
import { ServerState, statusPresentation } from './serverState';

export const showOutputCommand = 'paribus.showOutput';

export class ServerStatusItem implements Disposable {
    private readonly item: StatusBarItem;
    private current: ServerState = { kind: 'stopped', detail: '' };

    constructor() {
        this.item = window.createStatusBarItem('server', StatusBarAlignment.Right, 100);
        this.item.name = 'Paribus server';
        this.item.command = showOutputCommand;
    }

    get state(): ServerState {
        return this.current;
    }

    set(state: ServerState): void {
        this.current = state;
        const presentation = statusPresentation(state);
        this.item.text = presentation.text;
        this.item.tooltip = presentation.tooltip;
        this.item.accessibilityInformation = { label: presentation.label, role: 'button' };
        this.item.backgroundColor = presentation.isError ? new ThemeColor('statusBarItem.errorBackground') : undefined;
        this.item.show();
    }

    dispose(): void {
        this.item.dispose();
    }
}
