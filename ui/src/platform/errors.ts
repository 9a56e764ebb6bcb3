// Turning whatever a host call rejected with into an ErrorInfo.

import type { ErrorInfo } from './types';

function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

export function toErrorInfo(value: unknown): ErrorInfo {
  if (isErrorInfo(value)) return value;
  if (value instanceof Error) return { code: 'unknown', message: value.message };
  return { code: 'unknown', message: String(value) };
}

export function hostError(code: string, message: string): ErrorInfo {
  return { code, message };
}
