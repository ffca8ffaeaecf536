import { defineModel } from '../concepts.js';
import { flaskApi } from './flask.js';

/**
 * Quart: Flask's API on asyncio, exported from `quart` (`await request.form`, `await
 * request.get_json()`, `quart.redirect`, `quart.send_file`, `Quart`/`Blueprint` routes).
 */
export default defineModel(flaskApi('quart'));
