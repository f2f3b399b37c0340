import factory

from campaigns.channels.models import ChannelCode


class ChannelCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelCode
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"qr{n}")
    name = factory.LazyAttribute(lambda o: f"渠道 {o.code}")

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
