"""Content warnings: a steward's own words on a recording, an annotation or a person. A person
marked as deceased puts a warning on every recording that names them."""


def recording_warnings(recording) -> list[str]:
    texts = []
    if recording.content_warning:
        texts.append(recording.content_warning)
    for credit in recording.credits.all():
        person = credit.person
        if person.content_warning:
            texts.append(person.content_warning)
        elif person.deceased:
            texts.append(f"This recording contains the voice or name of {person.name}, who has passed away.")
    return list(dict.fromkeys(texts))
