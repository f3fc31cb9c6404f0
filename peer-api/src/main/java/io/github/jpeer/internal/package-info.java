/**
 * peer-api's machinery: the UDP driver, interface enumeration and the glue between the sans-IO
 * cores. Not API: nothing here is documented for applications and it may change at any time.
 */
package io.github.jpeer.internal;
