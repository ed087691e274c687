/**
 * The examples of README.md and docs/*.md, compiled and run by the build. Each document block is
 * marked {@code <!-- example: path[#region] -->} and must equal its source (DocsExamplesTest).
 */
package io.nodb.examples;
