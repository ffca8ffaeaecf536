import { defineModel } from '../concepts.js';

/**
 * The Jupyter server projects (the notebook server, jupyter_server, JupyterHub and their
 * extensions), built on Tornado: each defines the same helper that joins the pieces of a URL path.
 */
export default defineModel({
  name: 'jupyter',
  urlPathJoins: ['url_path_join'],
});
