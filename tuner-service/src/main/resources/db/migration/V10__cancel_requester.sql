-- Cancels carry their sender (issue 14): vision.tune.control names the API key that asked. A cancel of a study
-- the tuner has not seen yet (the topics are not ordered with each other) is remembered as a CANCELLED placeholder
-- row before the study's owner is known; its sender is kept here and checked against the owner when the request
-- arrives. A cancel its sender may not make then leaves the study to run.

ALTER TABLE study ADD COLUMN cancel_requester text;
ALTER TABLE study ADD COLUMN cancel_requester_is_admin boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN study.cancel_requester IS 'Name of the gateway API key whose cancel arrived before the study''s request (NULL: no such cancel, or a version-1 control that named nobody); when the request comes, the cancel stands only if this key owns the study or is an admin, or the study has no owner.';
COMMENT ON COLUMN study.cancel_requester_is_admin IS 'The key of cancel_requester held the admin role: its early cancel stands whoever owns the study.';
