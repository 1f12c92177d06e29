from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The client's rights (laki 703/2023, GDPR articles 15 and 17): the access report,
    the subject-access export and erasure or anonymisation. It sits above the domain
    apps because it reads and changes every app's records about a client; the audit
    app below it depends on none of them."""

    name = "silta.rights"
    label = "rights"
    verbose_name = _("Client's rights")
