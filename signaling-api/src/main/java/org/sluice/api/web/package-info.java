/** HTTP helpers every route family shares (CORS headers). */
package org.sluice.api.web;
