// The "ReLU Doctor" output channel: what ran, on which data, how long it took, and what failed.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The channel, created on first use (a log channel: lines carry timestamps). */
export function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('ReLU Doctor', { log: true });
  return channel;
}

/** Logs an informational line. */
export function log(line: string): void {
  output().info(line);
}

/** Logs an error line. */
export function logError(line: string): void {
  output().error(line);
}

/** Disposes the channel (deactivation). */
export function disposeOutput(): void {
  channel?.dispose();
  channel = undefined;
}
