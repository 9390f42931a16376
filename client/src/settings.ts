// Reads the "paribus" settings the client needs and the ones it forwards to the server.
import { ConfigurationScope, workspace, WorkspaceFolder } from 'vscode';
import { expandVariables, resolveProgram } from './paths';

export const settingsSection = 'paribus';

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'off';
export type LogLevel = 'error' | 'warning' | 'info' | 'debug';

/** What the server reads from initializationOptions and later pulls with workspace/configuration. */
export interface ServerSettings {
    severity: Record<string, Severity>;
    lintOnChange: boolean;
    logLevel: LogLevel;
}

export function getServerSettings(scope?: ConfigurationScope): ServerSettings {
    const config = workspace.getConfiguration(settingsSection, scope);
    return {
        severity: config.get<Record<string, Severity>>('severity', {}),
        lintOnChange: config.get<boolean>('lintOnChange', true),
        logLevel: config.get<LogLevel>('logLevel', 'info'),
    };
}

/**
 * The interpreter command from `paribus.interpreter`, expanded; empty when unset.
 * In an untrusted workspace only the user-level value counts, so a cloned repository
 * cannot make the editor run a program of its choosing.
 */
export function getInterpreterSetting(folder: WorkspaceFolder | undefined): string[] {
    const config = workspace.getConfiguration(settingsSection, folder);
    const command = workspace.isTrusted
        ? config.get<string[]>('interpreter', [])
        : config.inspect<string[]>('interpreter')?.globalValue ?? [];
    const workspaceFolder = folder?.uri.fsPath;
    const [program, ...rest] = command.filter((part) => part.trim() !== '').map((part) => expandVariables(part, workspaceFolder));
    return program === undefined ? [] : [resolveProgram(program, workspaceFolder), ...rest];
}

/** The folders of the window, whose files an untrusted workspace must not get to run. */
export function getWorkspaceFolderPaths(): string[] {
    return (workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}

/** The folder whose settings and interpreter the single server uses. */
export function getPrimaryWorkspaceFolder(): WorkspaceFolder | undefined {
    return workspace.workspaceFolders?.[0];
}
