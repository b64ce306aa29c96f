package org.ltipublisher.registration;

public enum RegistrationStatus {
    PENDING, ACTIVE
}
