package org.ltipublisher.web;

/** The JSON body of every refused API call: {@code {"error": code, "message": …}}. */
public record ApiError(String error, String message) {
}
