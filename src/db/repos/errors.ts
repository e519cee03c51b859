import { AppError } from '../../errors.js';

export class InvalidCursorError extends AppError {
  public readonly code = 'INVALID_CURSOR';
}
